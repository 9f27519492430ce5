using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Palisade.Integration.Tests.External;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Alerts;

/// <summary>
/// The installed palisaded's alerts on a 3-node lab: Pacemaker's own sample agent, an agent that records its
/// environment, and an HTTPS webhook whose receiver runs on the lab switch (198.18.0.1). The receiver is down while the
/// group's node (the coordinator) is powered off, fenced and its group started elsewhere; once it is back, every event
/// has reached it once, the same events the agent got, and the agent saw Pacemaker's variables.
/// </summary>
[Collection("lab")]
public sealed partial class AlertDeliveryLabTests : IAsyncLifetime
{
    private const string ReceiverAddress = "198.18.0.1";
    private const int ReceiverPort = 29443;
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private readonly string _dir = Path.Combine("/var/tmp", $"palisade-alerts-test-{Guid.NewGuid():N}");
    private ClusterLab? _lab;
    private int? _receiver;

    private string Received => Path.Combine(_dir, "received.jsonl");

    private string EnvLog => Path.Combine(_dir, "agent-env.log");

    private string PacemakerLog => Path.Combine(_dir, "pacemaker-sample.log");

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        using var ca = new TestCa();
        using var leaf = ca.IssueFor(IPAddress.Parse(ReceiverAddress));
        File.WriteAllText(Path.Combine(_dir, "ca.pem"), ca.Certificate.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "receiver.crt"), leaf.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "receiver.key"), leaf.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var token = Path.Combine(_dir, "hook.token");
        File.WriteAllText(token, Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        File.SetUnixFileMode(token, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var file in (string[])["receiver.py", "record-env.sh"])
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, "Alerts", file), Path.Combine(_dir, file));
        }

        File.SetUnixFileMode(Path.Combine(_dir, "record-env.sh"), (UnixFileMode)0b111_101_101);
        return Task.CompletedTask;
    }

    private string Alerts => $"""
        alerts:
          - name: pacemaker-sample
            type: agent
            path: /opt/palisade/share/pacemaker-alerts/alert_file.sh.sample
            recipients: [{PacemakerLog}]
          - name: env
            type: agent
            path: {_dir}/record-env.sh
            recipients: [{EnvLog}]
            timestamp_format: "%Y-%m-%d %H:%M:%S.%06N"
            select: [nodes, fencing, resources, attributes]
          - name: hook
            type: webhook
            url: https://{ReceiverAddress}:{ReceiverPort}/alerts
            token_file: {_dir}/hook.token
            ca: {_dir}/ca.pem
            timeout: 5s
            select: [nodes, fencing, resources, attributes]

        """;

    [Fact]
    public async Task EveryEventReachesTheWebhookOnceAfterItsOutageThroughAFailoverAndTheAgentsGetPacemakersVariables()
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        _lab = await ClusterLab.UpYamlAsync(demo.TrimEnd() + "\n" + Alerts);
        var c = _lab;

        // The receiver started once the lab is up: the start-up's events, queued meanwhile, are delivered by the
        // coordinator (n1), and every node's queue empties (the others are told they were delivered).
        await StartReceiverAsync();
        await UntilAsync(() => Events().Any(e => Is(e, "resource", "n1", "start", "web/hello")), "the webhook got web/hello's start on n1");
        await UntilAsync(async () => (await Task.WhenAll(c.Nodes.Select(QueueDepthAsync))).All(d => d == 0), "every node's alert queue empty");
        var before = Events().Count;

        // The receiver down. An event the coordinator (n1) owns: a monitor suspended on n3; n1 fails to deliver it.
        await StopReceiverAsync();
        var suspend = await c.CliAsync("n2", "monitor", "suspend", "web/hello", "--node", "n3");
        Assert.True(suspend.ExitCode == 0, suspend.Stderr);
        await UntilAsync(() => Task.FromResult(c.NodeLog("n1").Contains("alert hook: delivery of event", StringComparison.Ordinal)), "n1 failed to deliver the suspension to the webhook");

        // n1, which runs web, powered off with that event undelivered: it is fenced, web starts on n2, and n2 (the
        // coordinator now) delivers what n1 owned as well as its own, all failing while the receiver is down.
        Assert.Equal("off", await c.Lab.PowerAsync("n1", "off", c.Ct));
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"), "n1 Fenced, web Online on n2");
        await UntilAsync(() => Task.FromResult(c.NodeLog("n2").Contains("alert hook: delivery of event", StringComparison.Ordinal)), "n2 failed to deliver to the webhook while it was down");
        Assert.Contains("alerts: n1 is no longer a healthy member: n2 delivers the", c.NodeLog("n2"), StringComparison.Ordinal);
        Assert.Equal(before, Events().Count);

        // The receiver back: what happened meanwhile arrives.
        await StartReceiverAsync();
        await UntilAsync(() => Events().Any(e => Is(e, "resource", "n2", "start", "web/hello")), "the webhook got web/hello's start on n2");
        await UntilAsync(async () => (await Task.WhenAll(new[] { "n2", "n3" }.Select(QueueDepthAsync))).All(d => d == 0), "n2's and n3's alert queues empty");

        var received = ReadReceived();
        var events = received.Select(r => r.Body).ToList();
        Assert.All(received, r => Assert.True(r.Authorized, "every POST carried the bearer token"));
        Assert.All(received, r => Assert.Equal(r.Key, r.Body.GetProperty("sequence").GetInt64().ToString(CultureInfo.InvariantCulture)));
        var sequences = events.Select(e => e.GetProperty("sequence").GetInt64()).ToList();
        Assert.True(sequences.Count == sequences.Distinct().Count(), $"a sequence arrived twice: {string.Join(", ", sequences.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key))}");

        // The failover's events, each once, in order of sequence.
        long Seq(string kind, string node, string what, string? rsc = null) => Assert.Single(events, e => Is(e, kind, node, what, rsc)).GetProperty("sequence").GetInt64();
        var lost = Seq("node", "n1", "lost");
        var fence = Assert.Single(events, e => Is(e, "fencing", "n1", "off"));
        var fenced = Seq("node", "n1", "fenced");
        var vip = Seq("resource", "n2", "start", "web/vip");
        var hello = Seq("resource", "n2", "start", "web/hello");
        Assert.True(lost < fence.GetProperty("sequence").GetInt64() && fence.GetProperty("sequence").GetInt64() <= fenced && fenced < vip && vip < hello, $"order: {lost} {fence} {fenced} {vip} {hello}");
        Assert.Equal("Worked", fence.GetProperty("fields").GetProperty("result").GetString());
        var suspended = Assert.Single(events, e => e.GetProperty("kind").GetString() == "attribute" && e.GetProperty("node").GetString() == "n3"
            && e.GetProperty("fields").GetProperty("attribute_value").GetString() == "suspended");
        Assert.True(suspended.GetProperty("sequence").GetInt64() < lost, "n1's event, handed over to n2, came before n1 was lost");

        // The agent (never down) got the same events, each once: the two deliveries agree.
        var blocks = EnvBlocks();
        var agentSequences = blocks.Select(b => long.Parse(b["CRM_alert_node_sequence"], CultureInfo.InvariantCulture)).ToList();
        Assert.True(agentSequences.Count == agentSequences.Distinct().Count(), "the agent ran twice for one event");
        Assert.Equal(agentSequences.Order(), sequences.Order());

        // Pacemaker's variables, for a fencing and a resource event.
        var fencing = Assert.Single(blocks, b => b["CRM_alert_kind"] == "fencing" && b["CRM_alert_node"] == "n1");
        Assert.Equal(("off", "0", "1", EnvLog), (fencing["CRM_alert_task"], fencing["CRM_alert_rc"], fencing["CRM_alert_nodeid"], fencing["CRM_alert_recipient"]));
        Assert.StartsWith("Operation off of n1 by ", fencing["CRM_alert_desc"], StringComparison.Ordinal);
        Assert.Matches(Timestamp(), fencing["CRM_alert_timestamp"]);
        Assert.False(string.IsNullOrEmpty(fencing["CRM_alert_version"]));
        var start = Assert.Single(blocks, b => b["CRM_alert_kind"] == "resource" && b["CRM_alert_node"] == "n2" && b.GetValueOrDefault("CRM_alert_rsc") == "web/vip");
        Assert.Equal(("start", "0", "0", "0", "ok", "2"), (start["CRM_alert_task"], start["CRM_alert_rc"], start["CRM_alert_target_rc"], start["CRM_alert_interval"], start["CRM_alert_desc"], start["CRM_alert_nodeid"]));
        var epoch = long.Parse(start["CRM_alert_timestamp_epoch"], CultureInfo.InvariantCulture);
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - epoch, 0, 600);
        Assert.Matches("^[0-9]{6}$", start["CRM_alert_timestamp_usec"]);

        // Pacemaker's own sample agent, unchanged, wrote its lines.
        var sample = await File.ReadAllTextAsync(PacemakerLog);
        Assert.Contains("Node 'n1' is now 'lost'", sample, StringComparison.Ordinal);
        Assert.Contains("Fencing Operation off of n1 by ", sample, StringComparison.Ordinal);
        Assert.Contains("Resource operation 'start' for 'web/vip' on 'n2': ok", sample, StringComparison.Ordinal);

        // The token never reached a log.
        var token = (await File.ReadAllTextAsync(Path.Combine(_dir, "hook.token"))).Trim();
        Assert.All(c.Nodes, n => Assert.DoesNotContain(token, c.NodeLog(n), StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}$")]
    private static partial Regex Timestamp();

    private static bool Is(JsonElement e, string kind, string node, string what, string? rsc = null)
    {
        if (e.GetProperty("kind").GetString() != kind || e.GetProperty("node").GetString() != node)
        {
            return false;
        }

        var fields = e.GetProperty("fields");
        string? Field(string name) => fields.TryGetProperty(name, out var v) ? v.GetString() : null;
        return kind == "node" ? e.GetProperty("description").GetString() == what : Field("task") == what && (rsc is null || Field("rsc") == rsc);
    }

    private sealed record Post(string? Key, bool Authorized, JsonElement Body);

    private List<Post> ReadReceived() => File.Exists(Received)
        ? [.. File.ReadAllLines(Received).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => new Post(r.GetProperty("key").GetString(), r.GetProperty("authorized").GetBoolean(), r.GetProperty("body").Clone()))]
        : [];

    private List<JsonElement> Events() => [.. ReadReceived().Select(r => r.Body)];

    private List<Dictionary<string, string>> EnvBlocks()
    {
        var blocks = new List<Dictionary<string, string>>();
        Dictionary<string, string>? block = null;
        foreach (var line in File.ReadAllLines(EnvLog))
        {
            if (line == "BEGIN")
            {
                block = [];
            }
            else if (line == "END" && block is not null)
            {
                blocks.Add(block);
                block = null;
            }
            else if (block is not null && line.IndexOf('=', StringComparison.Ordinal) is > 0 and var at)
            {
                block[line[..at]] = line[(at + 1)..];
            }
        }

        return blocks;
    }

    /// <summary>This node's alert deliveries still queued (its own and those it holds for another node), from /metrics.</summary>
    private async Task<long> QueueDepthAsync(string node)
    {
        var r = await _lab!.Lab.ExecCaptureAsync(node, ["/bin/sh", "-c", "curl -sf -H \"Authorization: Bearer $(cat /etc/palisade/api.token)\" \"$(cat /etc/palisade/api.url)/metrics\""], TimeSpan.FromSeconds(10), _lab.Ct);
        Assert.True(r.ExitCode == 0, $"metrics on {node}: exit {r.ExitCode}: {r.Stderr}");
        var depths = r.Stdout.Split('\n').Where(l => l.StartsWith("palisade_alerts_queue_depth{", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, depths.Count);
        return depths.Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private static async Task UntilAsync(Func<bool> condition, string what) => await UntilAsync(() => Task.FromResult(condition()), what);

    private static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Limit.TotalSeconds} s: {what}");
            await Task.Delay(200);
        }
    }

    private async Task StartReceiverAsync()
    {
        var ready = Path.Combine(_dir, "receiver.ready");
        File.Delete(ready);
        var pidFile = Path.Combine(_dir, "receiver.pid");
        var script = $"setsid python3 {_dir}/receiver.py {_dir} {ReceiverAddress} {ReceiverPort} >>{_dir}/receiver.log 2>&1 </dev/null & echo $! > {pidFile}";
        Assert.Equal(0, await _lab!.Lab.RunInSwitchAsync(["/bin/sh", "-c", script], _lab.Ct));

        _receiver = int.Parse((await File.ReadAllTextAsync(pidFile)).Trim(), CultureInfo.InvariantCulture);
        await UntilAsync(() => File.Exists(ready), $"the receiver listening (log: {_dir}/receiver.log)");
    }

    private async Task StopReceiverAsync()
    {
        if (_receiver is not { } pid)
        {
            return;
        }

        _receiver = null;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            process.Kill();
            await process.WaitForExitAsync();
        }
        catch (ArgumentException)
        {
            // already gone
        }
    }

    public async Task DisposeAsync()
    {
        await StopReceiverAsync();
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }

        Directory.Delete(_dir, recursive: true);
    }
}
