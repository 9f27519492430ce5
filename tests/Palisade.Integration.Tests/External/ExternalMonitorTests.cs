using System.Text.RegularExpressions;
using System.Text.Json;
using Palisade.Core.Status;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.External;

/// <summary>
/// The external-link monitor in the installed palisaded: messages handed to a node's intake (palisade notify on the
/// control socket) are journaled, published, and trip the monitors of their category and device.
/// </summary>
[Collection("lab")]
public sealed class ExternalMonitorTests
{
    private static string? Health(StatusReport s, string monitor, string node) =>
        s.Monitors.FirstOrDefault(m => m.Name == monitor)?.Status.GetValueOrDefault(node);

    private static async Task<ClusterLab> UpAsync(string monitors)
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        return await ClusterLab.UpYamlAsync(demo.TrimEnd() + "\nmonitors:\n" + monitors);
    }

    private static async Task<string> NotifyAsync(ClusterLab c, string node, params string[] args)
    {
        var r = await c.CliAsync(node, ["notify", .. args]);
        Assert.True(r.ExitCode == 0, $"notify {string.Join(' ', args)}: {r.Stderr}");
        return r.Stdout;
    }

    [Fact]
    public async Task MessagesTripTheMonitorsOfTheirCategoryAndDeviceAndAnErrorWhereTheGroupRunsFailsItOver()
    {
        const string Monitors = """
              - {name: nic-eth1, type: external, target: web, category: NIC, keyword: eth1, recovery: {restart_limit: 0, failover_limit: 1}}
              - {name: fc-any, type: external, target: web, category: FC, recovery: {restart_limit: 0, failover_limit: 0}}

            """;
        await using var c = await UpAsync(Monitors);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online on n1");

        // Another device of the category, another category: nothing matches, nothing changes.
        await NotifyAsync(c, "n1", "--category", "NIC", "--keyword", "eth2", "--id", "m1");
        await NotifyAsync(c, "n1", "--category", "HA/SS", "--keyword", "eth1", "--id", "m2");
        await c.WaitAsync("n2", _ => c.NodeLog("n2").Contains("message m2 (error HA/SS.eth1 on n1", StringComparison.Ordinal), "m2 applied on n2");
        Assert.Contains("message m1 (error NIC.eth2 on n1 from palisade notify on", c.NodeLog("n2"), StringComparison.Ordinal);
        Assert.Contains("no external monitor matches", c.NodeLog("n2"), StringComparison.Ordinal);

        // A warning is shown, and recovers nothing.
        await NotifyAsync(c, "n1", "--category", "NIC", "--keyword", "eth1", "--severity", "warning", "--text", "flapping", "--id", "m3");
        var warned = await c.WaitAsync("n2", s => Health(s, "nic-eth1", "n1") == "Warning", "nic-eth1 Warning on n1");
        Assert.True(ClusterProbe.GroupOnline(warned, ClusterLab.Group, "n1"));

        // An error of any FC device concerning n2, where web does not run: Error there, no recovery. Sent from n3's
        // intake about n2.
        await NotifyAsync(c, "n3", "--category", "FC", "--keyword", "host3", "--node", "n2", "--id", "m4");
        await c.WaitAsync("n2", s => Health(s, "fc-any", "n2") == "Error", "fc-any Error on n2");
        Assert.Contains("no recovery: its target web is not active on n2", c.NodeLog("n1"), StringComparison.Ordinal);

        // The device's error where web runs: failover to the next node.
        await NotifyAsync(c, "n1", "--category", "NIC", "--keyword", "eth1", "--text", "link down", "--id", "m5");
        var moved = await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && Health(s, "nic-eth1", "n1") == "Error",
            "nic-eth1 Error on n1, web failed over to n2");
        Assert.Equal(1, moved.Monitors.Single(m => m.Name == "nic-eth1").Counters.Failovers);

        // The same id again is not applied twice; a clear sets it Normal.
        Assert.Contains("message m5 was accepted before: not applied again", await NotifyAsync(c, "n1", "--category", "NIC", "--keyword", "eth1", "--id", "m5"), StringComparison.Ordinal);
        await NotifyAsync(c, "n1", "--category", "NIC", "--keyword", "eth1", "--severity", "clear", "--id", "m6");
        await c.WaitAsync("n3", s => Health(s, "nic-eth1", "n1") == "Normal", "nic-eth1 Normal on n1 after the clear");

        // What n1 accepted is in its journal, in order.
        var events = await c.CliAsync("n1", "events", "--output", "json");
        Assert.True(events.ExitCode == 0, events.Stderr);
        var ids = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("notice").GetProperty("id").GetString()).ToList();
        Assert.Equal(["m1", "m2", "m3", "m5", "m6"], ids);
        var text = await c.CliAsync("n3", "events", "--node", "n2");
        Assert.Contains("error    FC.host3  on n2", text.Stdout, StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task ABadMessageIsRefusedWithTheReasonAndChangesNothing()
    {
        (string[] Args, string Error)[] cases =
        [
            (["--category", "DISK"], "message refused: category 'DISK' is not known (known: NIC, FC, HA/SS, HA/AM, HA/RS, SPS, NODE)"),
            (["--category", "NIC", "--node", "n9"], "message refused: node 'n9' is not a node of this cluster"),
            (["--category", "NIC", "--severity", "fatal"], "--severity must be error, warning or clear, not 'fatal'"),
            (["--category", "THIS-CATEGORY-NAME-IS-LONGER-THAN-32-BYTES"], "message refused: category is 42 bytes long (at most 32)"),
            (["--keyword", "eth1"], "--category is required"),
        ];
        await using var c = await UpAsync("  - {name: nic-eth1, type: external, target: web, category: NIC, keyword: eth1}\n");
        foreach (var (args, error) in cases)
        {
            var r = await c.CliAsync("n1", ["notify", .. args]);
            Assert.True(r.ExitCode != 0, $"{string.Join(' ', args)} was accepted");
            Assert.True(r.Stderr.Contains(error, StringComparison.Ordinal), $"{string.Join(' ', args)}: {r.Stderr}");
        }

        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online on n1");
        Assert.Equal("Normal", Health(s, "nic-eth1", "n1"));
        Assert.Equal("", (await c.CliAsync("n1", "events")).Stdout);
        Assert.Contains("message refused (from palisade notify on", c.NodeLog("n1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAcknowledgedMessageOfFortyThousandFromFourSendersSurvivesAKillOfPalisadedAndIsAppliedOnce()
    {
        // Batched requests acknowledge tens of thousands a second: enough messages that the kill still lands in the middle.
        const int PerSender = 10_000;
        await using var c = await UpAsync("  - {name: nic-eth1, type: external, target: web, category: NIC, keyword: eth1}\n");
        var persistent = Path.Combine(c.Lab.StatePath, "nodes", "n1", "lib-palisade"); // n1's /var/lib/palisade
        for (var k = 1; k <= 4; k++)
        {
            // Each message a device of its own, so none is held back as a repeat: each must reach the stream by itself.
            await File.WriteAllLinesAsync(Path.Combine(persistent, $"s{k}.jsonl"), Enumerable.Range(1, PerSender).Select(i =>
                $$"""{"category":"NIC","keyword":"s{{k}}-{{i}}","severity":"error","source":"sender {{k}}","id":"s{{k}}-{{i}}"}"""));
        }

        List<string> Acked() => [.. Enumerable.Range(1, 4).Select(k => Path.Combine(persistent, $"acks-{k}")).Where(File.Exists)
            .SelectMany(f => File.ReadAllLines(f)).Where(l => l.Length > 0)];

        // Four senders on n1, each recording the ids palisaded acknowledged; palisaded is killed while they send.
        var senders = Enumerable.Range(1, 4).Select(k => c.Lab.ExecCaptureAsync("n1",
            ["/usr/local/bin/palisade", "notify", "--batch", $"/var/lib/palisade/s{k}.jsonl", "--acks", $"/var/lib/palisade/acks-{k}"],
            TimeSpan.FromSeconds(120), c.Ct)).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Acked().Count < 1_000 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.True(Acked().Count >= 1_000, $"only {Acked().Count} messages acknowledged in 60 s");
        await c.KillInNodeAsync("n1", "palisaded");
        try
        {
            await Task.WhenAll(senders);
        }
        catch (Exception e) when (e is TimeoutException or Palisade.Lab.LabException)
        {
            // the node was powered off under them
        }

        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, "n1", "Fenced"), "n1 fenced after its palisaded died");
        await c.Lab.PowerAsync("n1", "on", c.Ct);
        var acked = Acked();
        Assert.InRange(acked.Count, 1_000, 4 * PerSender - 1); // the kill came in the middle
        Dictionary<string, int> Applied() => Regex.Matches(c.NodeLog("n2"), @"message (s\d-\d+) \(").GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count());
        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, "n1", "Online") && acked.All(Applied().ContainsKey),
            "n1 back and every acknowledged message applied", TimeSpan.FromSeconds(120));

        var journaled = EventJournalIds(persistent);
        Assert.Subset(journaled, acked.ToHashSet());
        var twice = Applied().Where(p => p.Value > 1).Select(p => p.Key).ToList();
        Assert.True(twice.Count == 0, $"applied more than once: {string.Join(", ", twice.Take(10))}");
        c.AssertNoDoubleActivation();
    }

    private static HashSet<string> EventJournalIds(string directory) =>
        [.. Directory.GetFiles(directory, "events.journal*").SelectMany(File.ReadLines)
            .Select(l => { try { return JsonDocument.Parse(l).RootElement.GetProperty("notice").GetProperty("id").GetString(); } catch (JsonException) { return null; } })
            .OfType<string>()];
}
