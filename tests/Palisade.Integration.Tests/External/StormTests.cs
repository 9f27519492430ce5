using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Palisade.Core.Status;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Palisade.Integration.Tests.External;

/// <summary>
/// A storm at the installed palisaded's intake: every message journaled, repeats for one device held back and counted,
/// the first error acted on once, the daemon answering status throughout with bounded memory.
/// </summary>
[Collection("lab")]
public sealed class StormTests(ITestOutputHelper output)
{
    private const int Messages = 100_000;

    private static string? Health(StatusReport s, string monitor, string node) =>
        s.Monitors.FirstOrDefault(m => m.Name == monitor)?.Status.GetValueOrDefault(node);

    private static long RssKiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(Regex.Match(line, @"\d+").Value, CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task AHundredThousandErrorsForOneDeviceAreJournaledTheFirstIsActedOnOnceAndPalisadedKeepsAnswering()
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        await using var c = await ClusterLab.UpYamlAsync(demo.TrimEnd() + """

            monitors:
              - {name: nic-eth1, type: external, target: web, category: NIC, keyword: eth1, recovery: {restart_limit: 0, failover_limit: 1}}

            """);
        var lib = Path.Combine(c.Lab.StatePath, "nodes", "n1", "lib-palisade");
        var storm = new StringBuilder();
        for (var i = 1; i <= Messages; i++)
        {
            storm.Append(CultureInfo.InvariantCulture, $$"""{"category":"NIC","keyword":"eth1","severity":"error","text":"link down","source":"storm","id":"st-{{i}}"}""").Append('\n');
        }

        await File.WriteAllTextAsync(Path.Combine(lib, "storm.jsonl"), storm.ToString());
        var pid = await c.PidInNodeAsync("n1", "palisaded");
        var rssBefore = RssKiB(pid);

        var sending = c.Lab.ExecCaptureAsync("n1", ["/usr/local/bin/palisade", "notify", "--batch", "/var/lib/palisade/storm.jsonl"], TimeSpan.FromMinutes(10), c.Ct);
        var (answered, rssMax, slowest) = (0, rssBefore, TimeSpan.Zero);
        while (!sending.IsCompleted)
        {
            var clock = Stopwatch.StartNew();
            var status = await c.CliAsync("n1", "status");
            Assert.True(status.ExitCode == 0, $"status during the storm: {status.Stderr}");
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            answered++;
            rssMax = Math.Max(rssMax, RssKiB(pid));
        }

        var sent = await sending;
        output.WriteLine($"{sent.Stdout.Trim()}; status answered {answered} times during it, slowest {slowest.TotalMilliseconds:0} ms; RSS {rssBefore / 1024} MiB before, {rssMax / 1024} MiB at most");
        Assert.True(sent.ExitCode == 0, sent.Stdout + sent.Stderr);
        Assert.Contains($"{Messages} accepted, 0 refused", sent.Stdout, StringComparison.Ordinal);
        Assert.True(answered >= 1, "status was never answered during the storm");
        Assert.True(rssMax - rssBefore < 256 * 1024, $"palisaded grew by {(rssMax - rssBefore) / 1024} MiB during the storm");

        // Acted on once: one error, one failover.
        var after = await c.WaitAsync("n3", s => Health(s, "nic-eth1", "n1") == "Error" && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"),
            "nic-eth1 Error on n1 and web on n2");
        Assert.Equal(1, after.Monitors.Single(m => m.Name == "nic-eth1").Counters.Failovers);
        Assert.Equal(1, Regex.Count(c.NodeLog("n3"), "monitor nic-eth1: recovery of error"));

        // Every message is in n1's journal; the stream carried only a handful, each with the count it stands for (the
        // last window's repeats go out when it ends).
        var journaled = Directory.GetFiles(lib, "events.journal*").Sum(f => File.ReadLines(f).Count());
        Assert.Equal(Messages, journaled);
        var published = new List<Match>();
        var represented = 0;
        await c.WaitAsync("n3", _ =>
        {
            published = Regex.Matches(c.NodeLog("n3"), @"message st-\d+ \(error NIC\.eth1 on n1 from storm, received by n1(, after (\d+) repeat\(s\) coalesced)?\)").ToList();
            represented = published.Sum(m => 1 + (m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : 0));
            return represented == Messages;
        }, $"the {Messages} messages represented on n3's stream");
        output.WriteLine($"{published.Count} messages published for {represented} accepted");
        Assert.InRange(published.Count, 2, Messages / 100);
        Assert.Contains("repeat(s) of NIC.eth1 on n1 held back in the last window", c.NodeLog("n1"), StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }
}
