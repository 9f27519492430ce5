using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Monitors;

/// <summary>
/// The recovery ladder of a resource's monitor, end to end in the installed palisaded: each time the service dies
/// behind palisaded's back, the next rung runs and the counters in status say which.
/// </summary>
[Collection("lab")]
public sealed class RecoveryLadderTests
{
    private const string HelloMonitor = "monitor: /opt/palisade/share/examples/demo/hello-service monitor";

    private static async Task<ClusterLab> UpAsync(string recovery, string monitor = HelloMonitor, string more = "")
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        Assert.Contains(HelloMonitor, demo, StringComparison.Ordinal);
        var yaml = demo.Replace(HelloMonitor, monitor + "\n        recovery: " + recovery + more, StringComparison.Ordinal)
            .Replace("monitor_interval: 5s", "monitor_interval: 1s", StringComparison.Ordinal);
        return await ClusterLab.UpYamlAsync(yaml);
    }

    /// <summary>kill -9 of the service where web runs; the ledger records its end, as the service would.</summary>
    private static async Task KillServiceAsync(ClusterLab c, string owner)
    {
        var r = await c.Lab.ExecCaptureAsync(owner, ["/bin/sh", "-c", "kill -9 $(cat /run/palisade-hello.pid) && rm -f /run/palisade-hello.pid"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.True(r.ExitCode == 0, r.Stderr);
        await File.AppendAllTextAsync(c.Lab.LedgerPath, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {owner} stop hello\n");
    }

    private static bool Counters(Palisade.Core.Status.StatusReport s, int restarts, int failovers, int finals) =>
        s.Monitors.FirstOrDefault(m => m.Name == "web/hello") is { Counters: var c }
        && (c.Restarts, c.Failovers, c.FinalActions) == (restarts, failovers, finals);

    [Fact]
    public async Task TwoRestartsInPlaceThenOneFailoverThenTheFinalActionStopsTheGroup()
    {
        await using var c = await UpAsync("{restart_limit: 2, failover_limit: 1, final_action: stop_group}");

        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => Counters(s, 1, 0, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "restart 1 of 2, web Online again on n1");
        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => Counters(s, 2, 0, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "restart 2 of 2, web Online again on n1");
        await KillServiceAsync(c, "n1");
        var moved = await c.WaitAsync("n2", s => Counters(s, 2, 1, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "failover 1 of 1, web Online on n2");
        Assert.Equal(["n1"], ClusterProbe.Group(moved, ClusterLab.Group)!.FailedOn);
        await KillServiceAsync(c, "n2");
        var stopped = await c.WaitAsync("n3", s => Counters(s, 2, 1, 1) && ClusterProbe.Group(s, ClusterLab.Group) is { State: "Offline", Target: "Stopped" },
            "the final action stopped web");

        var text = (await c.CliAsync("n3", "status")).Stdout;
        Assert.Contains("web/hello (resource):", text, StringComparison.Ordinal);
        Assert.Contains("restarts 2/2, failovers 1/1, final stop_group 1", text, StringComparison.Ordinal);
        Assert.Contains("stop requested by final action of monitor web/hello", ClusterProbe.Group(stopped, ClusterLab.Group)!.Reason, StringComparison.Ordinal);
        var list = await c.CliAsync("n1", "monitor", "list");
        Assert.True(list.ExitCode == 0, list.Stderr);
        Assert.Contains("recovery: restarts 2/2, failovers 1/1, final stop_group 1", list.Stdout, StringComparison.Ordinal);
        using (var json = System.Text.Json.JsonDocument.Parse((await c.CliAsync("n1", "monitor", "list", "--output", "json")).Stdout))
        {
            var hello = json.RootElement.EnumerateArray().Single(m => m.GetProperty("name").GetString() == "web/hello");
            Assert.Equal("resource", hello.GetProperty("type").GetString());
            Assert.Equal("Error", hello.GetProperty("status").GetProperty("n2").GetString());
            Assert.Equal(1, hello.GetProperty("counters").GetProperty("finalActions").GetInt32());
        }

        var starts = c.LedgerEntries.Where(e => e.Action == "start").Select(e => e.Node).ToList();
        Assert.Equal(["n1", "n1", "n1", "n2"], starts);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action is "power-off" or "panic");
        c.AssertNoDoubleActivation();

        // A cleanup of one node frees that node only; the counters belong to the monitor and stay.
        var one = await c.CliAsync("n3", "group", "cleanup", "web", "--node", "n1");
        Assert.True(one.ExitCode == 0, one.Stderr);
        Assert.Contains("cleanup of web on n1 requested", one.Stdout, StringComparison.Ordinal);
        await c.WaitAsync("n3", s => ClusterProbe.Group(s, ClusterLab.Group)!.FailedOn.Count == 0 && Counters(s, 2, 1, 1), "n1 freed, counters kept");

        // A cleanup forgets the failures; a start brings web back to its first node.
        Assert.Equal(0, (await c.CliAsync("n3", "group", "cleanup", "web")).ExitCode);
        Assert.Equal(0, (await c.CliAsync("n3", "group", "start", "web")).ExitCode);
        await c.WaitAsync("n3", s => Counters(s, 0, 0, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web back on n1 after cleanup and start");
    }
    [Fact]
    public async Task AfterResetAfterOfRunningCleanlyTheNextFailureIsRestartedInPlaceAgain()
    {
        await using var c = await UpAsync("{restart_limit: 1, failover_limit: 1, reset_after: 3s}");

        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => Counters(s, 1, 0, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "restart 1 of 1, web Online again on n1");
        await c.WaitAsync("n2", s => Counters(s, 0, 0, 0), "counters reset after 3 s without an error");
        Assert.Contains("reset the recovery counters of web/hello: web has run without an error for 3s (reset_after)", c.NodeLog("n1"), StringComparison.Ordinal);

        // Without the reset this would be the failover; with it, the ladder starts again from the restart.
        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => Counters(s, 1, 0, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "restart in place again on n1");
        c.AssertNoDoubleActivation();
    }
    [Fact]
    public async Task FailuresWithinMonitorRetriesAreRetriedAndOnlyTheNextOneIsAnError()
    {
        const string hooked = "monitor: 'test ! -e /var/lib/palisade/monitor-fails || exit 1; exec /opt/palisade/share/examples/demo/hello-service monitor'";
        await using var c = await UpAsync("{restart_limit: 1, failover_limit: 1}", hooked, "\n        monitor_retries: 2");
        var hook = Path.Combine(c.Lab.StatePath, "nodes", "n1", "lib-palisade", "monitor-fails");

        await File.WriteAllTextAsync(hook, "");
        await c.WaitAsync("n2", s => Counters(s, 1, 0, 0), "the third failure in a row is an error: restart 1 of 1");
        File.Delete(hook);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online again on n1");

        var log = c.NodeLog("n1");
        var first = log.IndexOf("group web: monitor of hello failed (1 of 2 retries, not an error yet)", StringComparison.Ordinal);
        var second = log.IndexOf("group web: monitor of hello failed (2 of 2 retries, not an error yet)", StringComparison.Ordinal);
        var error = log.IndexOf("group web: monitor of hello failed: ", StringComparison.Ordinal);
        Assert.True(first >= 0 && second > first && error > second, "expected two retried failures, then the error, in n1's log");
        c.AssertNoDoubleActivation();
    }
    [Fact]
    public async Task ASuspendedMonitorSeesNothingUntilResumedAndClearResetsItsCounters()
    {
        await using var c = await UpAsync("{restart_limit: 2, failover_limit: 1}");
        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => Counters(s, 1, 0, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "restart 1 of 2 on n1");

        var suspend = await c.CliAsync("n2", "monitor", "suspend", "web/hello", "--node", "n1");
        Assert.True(suspend.ExitCode == 0, suspend.Stderr);
        await c.WaitAsync("n2", s => s.Monitors.Single(m => m.Name == "web/hello").Status["n1"] == "Suspended", "web/hello Suspended on n1");
        await c.WaitAsync("n2", _ => c.NodeLog("n1").Contains("group web: monitor of hello suspended: not run until resumed", StringComparison.Ordinal), "n1's monitor loop saw the suspension");

        // The service dies while the monitor is suspended: for six monitor intervals nothing is detected.
        await KillServiceAsync(c, "n1");
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(6);
        while (DateTime.UtcNow < until)
        {
            var s = await c.WaitAsync("n2", _ => true, "status");
            Assert.True(Counters(s, 1, 0, 0) && ClusterProbe.Group(s, ClusterLab.Group) is { State: "Online", Node: "n1" }, "a suspended monitor detected something");
        }

        Assert.Equal(0, (await c.CliAsync("n2", "monitor", "resume", "web/hello")).ExitCode);
        await c.WaitAsync("n2", s => Counters(s, 2, 0, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "resumed: the death is seen, restart 2 of 2");

        Assert.Equal(0, (await c.CliAsync("n2", "monitor", "clear", "web/hello")).ExitCode);
        await c.WaitAsync("n2", s => Counters(s, 0, 0, 0), "clear puts the counters back to zero");
        var refused = await c.CliAsync("n2", "monitor", "suspend", "web/nothing");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("unknown monitor 'web/nothing' (monitors: web/vip, web/hello)", refused.Stderr, StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task TheFinalActionBmcPowerOffPowersTheNodeOffThroughItsBmcAndIsSuppressedWhenNoOtherNodeCouldRunTheGroup()
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        var yaml = demo.Replace(HelloMonitor, HelloMonitor + "\n        recovery: {restart_limit: 0, failover_limit: 0, final_action: bmc_power_off}", StringComparison.Ordinal)
            .Replace("monitor_interval: 5s", "monitor_interval: 1s", StringComparison.Ordinal)
            .Replace("    nodes: [n1, n2, n3]", "    nodes: [n1, n2]", StringComparison.Ordinal);
        await using var c = await ClusterLab.UpYamlAsync(yaml);

        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"),
            "n1 powered off by the final action, web Online on n2");
        Assert.Contains(c.LedgerEntries, e => e.Node == "n1" && e.Action == "power-off");
        Assert.Contains("final action bmc_power_off", c.NodeLog("n2"), StringComparison.Ordinal);

        // web can run only on n1 and n2, and n1 is off: the same final action on n2 is suppressed.
        await KillServiceAsync(c, "n2");
        await c.WaitAsync("n3", s => s.Monitors.Single(m => m.Name == "web/hello").Status["n2"] == "Error"
            && c.NodeLog("n2").Contains("final action bmc_power_off suppressed: no other node is Online to run web", StringComparison.Ordinal),
            "the final action on n2 suppressed");
        var s = await c.WaitAsync("n3", s => ClusterLab.NodeIs(s, "n2", "Online"), "n2 still Online");
        Assert.Equal(("Online", "n2"), (ClusterProbe.Group(s, ClusterLab.Group)!.State, ClusterProbe.Group(s, ClusterLab.Group)!.Node));
        // Status says so, on every node: the monitor's last reason and the group's.
        Assert.Contains("final action bmc_power_off suppressed", s.Monitors.Single(m => m.Name == "web/hello").LastReason, StringComparison.Ordinal);
        Assert.Contains("suppressed", ClusterProbe.Group(s, ClusterLab.Group)!.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Node == "n2" && e.Action == "power-off");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task TheFinalActionStopClusterServiceStopsPalisadedThereAndTheGroupStartsElsewhere()
    {
        await using var c = await UpAsync("{restart_limit: 0, failover_limit: 0, final_action: stop_cluster_service}");

        await KillServiceAsync(c, "n1");
        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Offline"),
            "n1 left the cluster cleanly, web Online on n2");
        Assert.Equal(["n1"], ClusterProbe.Group(s, ClusterLab.Group)!.FailedOn);
        Assert.Contains("leaving the cluster: final action stop_cluster_service of monitor web/hello", c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "power-off");
        Assert.Equal("on", await c.Lab.PowerAsync("n1", "status", c.Ct));
        c.AssertNoDoubleActivation();
    }

    [Theory]
    [InlineData("bmc_power_cycle")]
    [InlineData("bmc_reset")] // a BMC reset is a power cycle through the node's agents (docs/monitors.md)
    public async Task TheFinalActionBmcPowerCycleFencesTheNodeThenPowersItOnAgainAndItRejoins(string finalAction)
    {
        await using var c = await UpAsync($"{{restart_limit: 0, failover_limit: 0, final_action: {finalAction}}}");

        await KillServiceAsync(c, "n1");
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && Counters(s, 0, 0, 1),
            "n1 fenced by the final action, web Online on n2");
        Assert.Equal(["n1"], ClusterProbe.Group(moved, ClusterLab.Group)!.FailedOn);
        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, "n1", "Online"), "n1 powered on again, back in the cluster", TimeSpan.FromSeconds(90));

        var n1 = c.LedgerEntries.Where(e => e.Node == "n1" && e.Action is "power-off" or "power-on").Select(e => e.Action).ToList();
        Assert.Equal(["power-off", "power-on"], n1[^2..]);
        var history = Shutdown.ShutdownConfigs.History((await c.CliAsync("n2", "sd", "--history", "n1", "--output", "json")).Stdout);
        Assert.Contains(history, r => r.Action == "on" && r.Result == Palisade.Core.Shutdown.FenceResult.Worked);
        Assert.Contains($"final action {finalAction}", c.NodeLog("n2"), StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task TheFinalActionStopClusterServiceAndShutdownStopsTheGroupThereLeavesAndThenTheNodeIsPoweredOff()
    {
        await using var c = await UpAsync("{restart_limit: 0, failover_limit: 0, final_action: stop_cluster_service_and_shutdown}");

        await KillServiceAsync(c, "n1");
        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"),
            "n1 left, was powered off, web Online on n2");
        Assert.Contains("leaving the cluster: final action stop_cluster_service_and_shutdown of monitor web/hello", c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.Contains("left the cluster cleanly; the final action stop_cluster_service_and_shutdown of monitor web/hello powers it off",
            c.NodeLog("n2"), StringComparison.Ordinal);
        Assert.Contains(c.LedgerEntries, e => e.Node == "n1" && e.Action == "power-off");
        Assert.Equal("off", await c.Lab.PowerAsync("n1", "status", c.Ct));
        Assert.Equal(["n1"], ClusterProbe.Group(s, ClusterLab.Group)!.FailedOn);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task WithAResourceTargetTheRestartStartsOnlyThatResourceAgainAndTheGroupStaysOnline()
    {
        await using var c = await UpAsync("{target: hello, restart_limit: 1, failover_limit: 1}");

        await KillServiceAsync(c, "n1");
        var s = await c.WaitAsync("n2", s => Counters(s, 1, 0, 0) && ClusterProbe.Group(s, ClusterLab.Group) is { State: "Online", Node: "n1" } g
            && g.Resources.All(r => r.State == "Started"), "hello restarted on n1, web Online there all along");
        Assert.Equal(2, c.LedgerEntries.Count(e => e.Node == "n1" && e.Action == "start" && e.Service == "hello"));
        var n1 = c.NodeLog("n1");
        Assert.Contains("restart of hello", n1, StringComparison.Ordinal);
        Assert.DoesNotContain("resource vip stop", n1, StringComparison.Ordinal); // the floating IP stayed up

        // The next failure of hello goes on to the failover of the whole group.
        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => Counters(s, 1, 1, 0) && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "failover 1 of 1, web Online on n2");
        c.AssertNoDoubleActivation();
    }

    [Theory]
    [InlineData("bmc_nmi")]
    [InlineData("panic")] // without node_actions: system, a panic is the BMC's diagnostic interrupt
    public async Task TheFinalActionBmcNmiPanicsTheNodeThroughItsBmcAndItsKdumpConfirmsIt(string finalAction)
    {
        var chains = Shutdown.ShutdownConfigs.Same(3, i => [Shutdown.ShutdownConfigs.Kdump, Shutdown.ShutdownConfigs.Ipmi(i), Shutdown.ShutdownConfigs.Redfish(i)]);
        var yaml = Shutdown.ShutdownConfigs.Cluster("nmi", chains).Replace("        monitor_interval: 5s",
            $"        monitor_interval: 1s\n        recovery: {{restart_limit: 0, failover_limit: 0, final_action: {finalAction}}}", StringComparison.Ordinal);
        await using var c = await ClusterLab.UpYamlAsync(yaml);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online on n1");

        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"),
            "n1 panicked by the final action and confirmed by its kdump, web Online on n2");

        Assert.Contains(c.LedgerEntries, e => e.Node == "n1" && e.Action == "panic");
        var history = Shutdown.ShutdownConfigs.History((await c.CliAsync("n2", "sd", "--history", "n1", "--output", "json")).Stdout);
        // ipmi_sim has no diagnostic interrupt (it refuses chassis power diag): the Redfish BMC sends it.
        Assert.Contains(history, r => r.Action == "nmi" && r.Agent == "2:ipmi" && r.Result != Palisade.Core.Shutdown.FenceResult.Worked);
        Assert.Contains(history, r => r.Action == "nmi" && r.Agent == "3:redfish" && r.Result == Palisade.Core.Shutdown.FenceResult.Worked);
        Assert.Contains(history, r => r.Agent == "1:kdump" && r.Result == Palisade.Core.Shutdown.FenceResult.Worked);
        Assert.Equal("on", await c.Lab.PowerAsync("n1", "status", c.Ct)); // its dump kernel runs: nobody powered it off
        Assert.Contains($"final action {finalAction}", c.NodeLog("n2"), StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task WithSystemNodeActionsStopClusterServiceAndShutdownRunsThePoweroffCommandOnceTheGroupsAreStopped()
    {
        // The lab's command only records what it was asked; the default command is never run in tests.
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        var yaml = demo.Replace(HelloMonitor, HelloMonitor + "\n        recovery: {restart_limit: 0, failover_limit: 0, final_action: stop_cluster_service_and_shutdown}", StringComparison.Ordinal)
            .Replace("monitor_interval: 5s", "monitor_interval: 1s", StringComparison.Ordinal).TrimEnd()
            + "\nnode_actions: {type: system, poweroff: 'echo $PALISADE_ACTION $PALISADE_NODE > /run/palisade-node-action'}\n";
        await using var c = await ClusterLab.UpYamlAsync(yaml);

        await KillServiceAsync(c, "n1");
        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Offline"),
            "n1 left cleanly, web Online on n2");
        var recorded = await c.Lab.ExecCaptureAsync("n1", ["cat", "/run/palisade-node-action"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.Equal("poweroff n1", recorded.Stdout.Trim());
        Assert.Contains("node action poweroff: running 'echo $PALISADE_ACTION $PALISADE_NODE > /run/palisade-node-action'", c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "power-off"); // the node acted itself: nobody fenced it
        Assert.Equal(["n1"], ClusterProbe.Group(s, ClusterLab.Group)!.FailedOn);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task TheFinalActionStopResourceStopsThatResourceAndTheGroupStaysOnlineWithoutItUntilMoved()
    {
        await using var c = await UpAsync("{restart_limit: 0, failover_limit: 0, final_action: stop_resource}");

        await KillServiceAsync(c, "n1");
        var s = await c.WaitAsync("n2", s => Counters(s, 0, 0, 1) && ClusterProbe.Group(s, ClusterLab.Group) is { State: "Online", Node: "n1" } g
            && g.Resources.Single(r => r.Name == "hello").State == "Stopped", "hello stopped by the final action, web Online on n1 without it");
        Assert.Equal("Started", ClusterProbe.Group(s, ClusterLab.Group)!.Resources.Single(r => r.Name == "vip").State);
        Assert.Contains("group web: stop of hello on this node (final action stop_resource of monitor web/hello", c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.Equal("Error", s.Monitors.Single(m => m.Name == "web/hello").Status["n1"]);

        // A move starts the whole group again elsewhere.
        var move = await c.CliAsync("n2", "group", "move", ClusterLab.Group, "--to", "n2");
        Assert.True(move.ExitCode == 0, move.Stderr);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2")
            && ClusterProbe.Group(s, ClusterLab.Group)!.Resources.All(r => r.State == "Started"), "web Online on n2 with every resource");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task TheFinalActionStopClusterServiceAndRebootLeavesThenTheNodeIsPoweredOffAndOnAndRejoins()
    {
        await using var c = await UpAsync("{restart_limit: 0, failover_limit: 0, final_action: stop_cluster_service_and_reboot}");

        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && Counters(s, 0, 0, 1), "n1 left, web Online on n2");
        // n1 may still show Online (leaving) just after web started on n2: wait for its power-on, then for it back.
        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, "n1", "Online") && c.LedgerEntries.Any(e => e is { Node: "n1", Action: "power-on" }),
            "n1 powered off and on again, back in the cluster", TimeSpan.FromSeconds(90));

        Assert.Contains("leaving the cluster: final action stop_cluster_service_and_reboot of monitor web/hello", c.NodeLog("n1"), StringComparison.Ordinal);
        var n1 = c.LedgerEntries.Where(e => e.Node == "n1" && e.Action is "power-off" or "power-on").Select(e => e.Action).ToList();
        Assert.Equal(["power-off", "power-on"], n1[^2..]);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task WithSystemNodeActionsThePanicFinalActionRunsThePanicCommandOnTheNode()
    {
        // The lab's command only records the call (the default is never run in tests); the node
        // does not die, so the group, failed there, is stopped there and started on n2.
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        var yaml = demo.Replace(HelloMonitor, HelloMonitor + "\n        recovery: {restart_limit: 0, failover_limit: 0, final_action: panic}", StringComparison.Ordinal)
            .Replace("monitor_interval: 5s", "monitor_interval: 1s", StringComparison.Ordinal).TrimEnd()
            + "\nnode_actions: {type: system, panic: 'echo $PALISADE_ACTION $PALISADE_NODE > /run/palisade-node-action'}\n";
        await using var c = await ClusterLab.UpYamlAsync(yaml);

        await KillServiceAsync(c, "n1");
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && Counters(s, 0, 0, 1), "the panic command ran on n1, web Online on n2");
        var recorded = await c.Lab.ExecCaptureAsync("n1", ["cat", "/run/palisade-node-action"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.Equal("panic n1", recorded.Stdout.Trim());
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action is "power-off" or "panic"); // nothing went through the BMC
        c.AssertNoDoubleActivation();
    }
}
