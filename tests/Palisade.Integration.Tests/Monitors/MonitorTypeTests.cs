using System.Text.Json;
using Palisade.Core.Status;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Monitors;

/// <summary>
/// The monitors of the <c>monitors:</c> list in the installed palisaded: each type goes Error for a real cause inside
/// a lab node and back to Normal once repaired, and an Error where the target runs moves its recovery ladder.
/// </summary>
[Collection("lab")]
public sealed class MonitorTypeTests
{
    private static readonly TimeSpan Exec = TimeSpan.FromSeconds(10);

    /// <summary>The demo cluster plus <paramref name="more"/> (extra groups) and a monitors: list.</summary>
    private static async Task<ClusterLab> UpAsync(string groups, string monitors)
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        return await ClusterLab.UpYamlAsync(demo.TrimEnd() + "\n" + groups + "monitors:\n" + monitors);
    }

    private static async Task RunAsync(ClusterLab c, string node, string script)
    {
        var r = await c.Lab.ExecCaptureAsync(node, ["/bin/sh", "-c", script], Exec, c.Ct);
        Assert.True(r.ExitCode == 0, $"{script}: exit {r.ExitCode}: {r.Stderr}");
    }

    private static string? Health(StatusReport s, string monitor, string node) =>
        s.Monitors.FirstOrDefault(m => m.Name == monitor)?.Status.GetValueOrDefault(node);

    private static Task<StatusReport> WaitHealthAsync(ClusterLab c, string monitor, string node, string health) =>
        c.WaitAsync("n2", s => Health(s, monitor, node) == health, $"monitor {monitor} {health} on {node}");

    [Fact]
    public async Task EachMonitorTypeGoesErrorForARealCauseAndNormalOnceRepaired()
    {
        const string Groups = """
              - name: watch
                nodes: [n1]
                auto_start: false
                resources:
                  - {name: svc, type: exec, start: touch /run/mon-svc, stop: rm -f /run/mon-svc, monitor: "test -e /run/mon-svc || exit 7", monitor_interval: 0}

            """;
        const string Common = "target: watch, timing: active, interval: 1s, timeout: 2s, recovery: {restart_limit: 0, failover_limit: 0}";
        var monitors = $$"""
              - {name: canary-pid, type: process, pidfile: /run/mon-canary.pid, {{Common}}}
              - {name: canary-name, type: process, process: palisade-mon-canary, {{Common}}}
              - {name: gateway, type: ip, addresses: [198.18.0.250], {{Common}}}
              - {name: uplink, type: nic, interface: mon0, {{Common}}}
              - {name: data, type: disk, path: /run/mon-disk, {{Common}}}
              - {name: flag, type: custom, command: "if [ -e /run/mon-warn ]; then exit 2; fi; test ! -e /run/mon-flag", {{Common}}}
              - {name: svc-check, type: resource, resource: watch/svc, {{Common}}}

            """;
        string[] all = ["canary-pid", "canary-name", "gateway", "uplink", "data", "flag", "svc-check"];
        await using var c = await UpAsync(Groups, monitors);
        try
        {
            // What the monitors watch, made on n1 before the group they follow starts there.
            await RunAsync(c, "n1", "setsid bash -c 'exec -a palisade-mon-canary sleep 100000' </dev/null >/dev/null 2>&1 & echo $! > /run/mon-canary.pid");
            await RunAsync(c, "n1", "ip addr add 198.18.0.250/32 dev mon0 && head -c 8192 /dev/zero > /run/mon-disk");
            var before = await WaitHealthAsync(c, "flag", "n1", "Offline"); // timing active: nothing runs before watch does
            Assert.All(all, m => Assert.Equal("Offline", Health(before, m, "n1")));

            var start = await c.CliAsync("n2", "group", "start", "watch");
            Assert.True(start.ExitCode == 0, start.Stderr);
            await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, "watch", "n1") && all.All(m => Health(s, m, "n1") == "Normal"), "watch Online on n1, every monitor Normal");

            // process: the canary killed; both the pid file and the name see it gone.
            await RunAsync(c, "n1", "kill -9 $(cat /run/mon-canary.pid)");
            var dead = await c.WaitAsync("n2", s => Health(s, "canary-pid", "n1") == "Error" && Health(s, "canary-name", "n1") == "Error", "both process monitors Error");
            Assert.Contains("palisade-mon-canary: 0 running", dead.Monitors.Single(m => m.Name == "canary-name").LastReason, StringComparison.Ordinal);

            // ip: the address gone, then back.
            await RunAsync(c, "n1", "ip addr del 198.18.0.250/32 dev mon0");
            await WaitHealthAsync(c, "gateway", "n1", "Error");
            await RunAsync(c, "n1", "ip addr add 198.18.0.250/32 dev mon0");
            await WaitHealthAsync(c, "gateway", "n1", "Normal");

            // nic: the link taken down inside n1 (palisade lab link), then up.
            await c.Lab.SetLinkAsync("n1", "mon0", up: false, c.Ct);
            var down = await WaitHealthAsync(c, "uplink", "n1", "Error");
            Assert.Contains("mon0: link down", down.Monitors.Single(m => m.Name == "uplink").LastReason, StringComparison.Ordinal);
            await c.Lab.SetLinkAsync("n1", "mon0", up: true, c.Ct);
            await WaitHealthAsync(c, "uplink", "n1", "Normal");

            // disk: a read that never finishes (a FIFO nobody writes); palisaded answers meanwhile; Error after the timeout.
            await RunAsync(c, "n1", "rm -f /run/mon-disk && mkfifo /run/mon-disk");
            await WaitHealthAsync(c, "data", "n1", "Error");
            var status = await c.CliAsync("n1", "status");
            Assert.True(status.ExitCode == 0, status.Stderr);
            await RunAsync(c, "n1", "rm -f /run/mon-disk && head -c 8192 /dev/zero > /run/mon-disk");
            await WaitHealthAsync(c, "data", "n1", "Normal");

            // custom: exit 2 is a Warning, exit 1 an Error.
            await RunAsync(c, "n1", "touch /run/mon-warn");
            await WaitHealthAsync(c, "flag", "n1", "Warning");
            await RunAsync(c, "n1", "rm /run/mon-warn && touch /run/mon-flag");
            await WaitHealthAsync(c, "flag", "n1", "Error");
            await RunAsync(c, "n1", "rm /run/mon-flag");
            await WaitHealthAsync(c, "flag", "n1", "Normal");

            // resource: the resource's agent says it is not running.
            await RunAsync(c, "n1", "rm /run/mon-svc");
            await WaitHealthAsync(c, "svc-check", "n1", "Error");
            await RunAsync(c, "n1", "touch /run/mon-svc");
            await WaitHealthAsync(c, "svc-check", "n1", "Normal");

            var list = await c.CliAsync("n3", "monitor", "list", "--output", "json");
            Assert.True(list.ExitCode == 0, list.Stderr);
            using var json = JsonDocument.Parse(list.Stdout);
            var types = json.RootElement.EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("type").GetString());
            Assert.Equal(("process", "process", "ip", "nic", "disk", "custom", "resource"),
                (types["canary-pid"], types["canary-name"], types["gateway"], types["uplink"], types["data"], types["flag"], types["svc-check"]));
            Assert.Contains("monitor data (disk): Error: read of /run/mon-disk did not finish within 2s", c.NodeLog("n1"), StringComparison.Ordinal);
        }
        finally
        {
            await c.Lab.ExecCaptureAsync("n1", ["/bin/sh", "-c", "kill -9 $(cat /run/mon-canary.pid) 2>/dev/null; rm -f /run/mon-disk"], Exec, CancellationToken.None);
        }
    }

    [Fact]
    public async Task AnErrorWhereTheTargetRunsRestartsItThenFailsItOverAndAnErrorElsewhereRecoversNothing()
    {
        const string Monitors = """
              - {name: flag, type: custom, target: web, command: "test ! -e /run/mon-flag", timing: active, interval: 1s, recovery: {restart_limit: 1, failover_limit: 1}}
              - {name: flag-any, type: custom, target: web, command: "test ! -e /run/mon-any", interval: 1s}

            """;
        await using var c = await UpAsync("", Monitors);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1") && Health(s, "flag", "n1") == "Normal", "web Online on n1, flag Normal");

        // An error on n3, where web does not run: shown, nothing recovered. flag (timing active) is not run there at
        // all: its cause is there too, and it stays Offline on n3 to the end.
        await RunAsync(c, "n3", "touch /run/mon-any /run/mon-flag");
        await WaitHealthAsync(c, "flag-any", "n3", "Error");
        Assert.Contains("no recovery: its target web is not active on n3", c.NodeLog("n1"), StringComparison.Ordinal);

        // An error on n1 stays after the restart: the next error fails web over.
        await RunAsync(c, "n1", "touch /run/mon-flag");
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2")
            && s.Monitors.Single(m => m.Name == "flag").Counters is { Restarts: 1, Failovers: 1 }, "restart 1 of 1 on n1, then failover 1 of 1 to n2");
        Assert.Equal(["n1"], ClusterProbe.Group(moved, ClusterLab.Group)!.FailedOn);
        Assert.Equal(2, c.LedgerEntries.Count(e => e.Node == "n1" && e.Action == "start" && e.Service == "hello")); // the first start and the restart
        Assert.Contains("monitor flag: recovery of error 1 on n1: restart", c.NodeLog("n2"), StringComparison.Ordinal);
        Assert.Equal("Offline", Health(moved, "flag", "n3"));
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task TheRecoveryScriptRunsFirstAndThePreActionRunsBeforeTheRestart()
    {
        const string Monitors = """
              - name: flag
                type: custom
                target: web
                command: "test ! -e /run/mon-flag && test ! -e /run/mon-hard"
                timing: active
                interval: 1s
                recovery:
                  script: "echo $PALISADE_ACTION $PALISADE_MONITOR $PALISADE_TARGET $PALISADE_NODE $PALISADE_STATUS >> /run/mon-recovery.log; rm -f /run/mon-flag"
                  script_limit: 1
                  restart_limit: 1
                  failover_limit: 0
                  pre_action: {script: "echo $PALISADE_ACTION >> /run/mon-recovery.log", before: [restart]}

            """;
        await using var c = await UpAsync("", Monitors);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1") && Health(s, "flag", "n1") == "Normal", "web Online on n1, flag Normal");

        // The script fixes what it can: the monitor is Normal again, web never stopped.
        await RunAsync(c, "n1", "touch /run/mon-flag");
        await c.WaitAsync("n2", s => c.NodeLog("n1").Contains("monitor flag: script command exited 0", StringComparison.Ordinal) && Health(s, "flag", "n1") == "Normal",
            "the recovery script ran and the monitor is Normal again");
        var log = await c.Lab.ExecCaptureAsync("n1", ["cat", "/run/mon-recovery.log"], Exec, c.Ct);
        Assert.Equal("script flag web n1 Error", log.Stdout.Trim());
        Assert.Equal(1, c.LedgerEntries.Count(e => e.Node == "n1" && e.Action == "start" && e.Service == "hello"));

        // What the script cannot fix: the next rung, a restart, after the pre-action.
        await RunAsync(c, "n1", "touch /run/mon-hard");
        // The counter is replicated when the restart is decided, before web stops: wait for the second start itself.
        await c.WaitAsync("n2", s => s.Monitors.Single(m => m.Name == "flag").Counters.Restarts == 1 && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1")
            && c.LedgerEntries.Count(e => e.Node == "n1" && e.Action == "start" && e.Service == "hello") == 2,
            "restart 1 of 1 on n1, web started again there");
        log = await c.Lab.ExecCaptureAsync("n1", ["cat", "/run/mon-recovery.log"], Exec, c.Ct);
        Assert.Equal(["script flag web n1 Error", "pre-restart"], log.Stdout.Trim().Split('\n'));
        Assert.Equal(2, c.LedgerEntries.Count(e => e.Node == "n1" && e.Action == "start" && e.Service == "hello"));
        Assert.Contains("scripts 1/1, restarts 1/1, failovers 0/0, final none 0", (await c.CliAsync("n3", "status")).Stdout, StringComparison.Ordinal);
        await RunAsync(c, "n1", "rm -f /run/mon-hard /run/mon-recovery.log");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task WithTargetAllGroupsAnErrorFailsOverEveryGroupActiveOnTheNode()
    {
        const string Groups = """
              - name: batch
                nodes: [n1, n3]
                resources:
                  - {name: job, type: exec, start: /bin/true, stop: /bin/true}

            """;
        const string Monitors = """
              - {name: uplink, type: custom, target: web, command: "test ! -e /run/uplink-down", interval: 1s, recovery: {target: all_groups, restart_limit: 0, failover_limit: 1}}

            """;
        await using var c = await UpAsync(Groups, Monitors);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1") && ClusterProbe.GroupOnline(s, "batch", "n1"), "web and batch Online on n1");

        await RunAsync(c, "n1", "touch /run/uplink-down");
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterProbe.GroupOnline(s, "batch", "n3"),
            "web failed over to n2 and batch to n3");
        Assert.Equal(1, moved.Monitors.Single(m => m.Name == "uplink").Counters.Failovers);
        Assert.Contains("monitor uplink: recovery of error 1 on n1: failover of batch, web", c.NodeLog("n2"), StringComparison.Ordinal);
        await RunAsync(c, "n1", "rm -f /run/uplink-down");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task RetriesOnTimeoutIgnoreAndSuspendResumeOfAListedMonitorWorkInTheInstalledDaemon()
    {
        const string None = "target: web, interval: 1s, timeout: 1s, recovery: {restart_limit: 0, failover_limit: 0}";
        const string Monitors = $$"""
              - {name: flaky, type: custom, command: "test ! -e /run/mon-flaky", retries: 2, {{None}}}
              - {name: slow, type: custom, command: "if [ -e /run/mon-slow ]; then sleep 30; fi", on_timeout: ignore, {{None}}}
              - {name: slow-strict, type: custom, command: "if [ -e /run/mon-slow ]; then sleep 30; fi", {{None}}}

            """;
        await using var c = await UpAsync("", Monitors);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1") && new[] { "flaky", "slow", "slow-strict" }.All(m => Health(s, m, "n1") == "Normal"),
            "web Online on n1, the three monitors Normal");

        // Two failures in a row are retried; the third is the error. A timeout is an error, unless on_timeout: ignore.
        await RunAsync(c, "n1", "touch /run/mon-flaky /run/mon-slow");
        var s = await c.WaitAsync("n2", s => Health(s, "flaky", "n1") == "Error" && Health(s, "slow-strict", "n1") == "Error", "flaky and slow-strict Error");
        Assert.Equal("Normal", Health(s, "slow", "n1"));
        var log = c.NodeLog("n1");
        Assert.Contains("monitor flaky (custom) failed (1 of 2 retries, not an error yet)", log, StringComparison.Ordinal);
        Assert.Contains("monitor flaky (custom) failed (2 of 2 retries, not an error yet)", log, StringComparison.Ordinal);

        // Suspended: not run, shown so; resumed once the cause is gone: Normal again.
        var suspend = await c.CliAsync("n3", "monitor", "suspend", "flaky");
        Assert.True(suspend.ExitCode == 0, suspend.Stderr);
        await WaitHealthAsync(c, "flaky", "n1", "Suspended");
        await RunAsync(c, "n1", "rm -f /run/mon-flaky /run/mon-slow");
        var resume = await c.CliAsync("n3", "monitor", "resume", "flaky");
        Assert.True(resume.ExitCode == 0, resume.Stderr);
        await WaitHealthAsync(c, "flaky", "n1", "Normal");
        c.AssertNoDoubleActivation();
    }
}
