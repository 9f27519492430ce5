using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Palisade.Core.Status;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>The monitors of the <c>monitors:</c> list: what nodes report, and the ladder their errors move.</summary>
public sealed class ListedMonitorTests
{
    private static readonly DateTimeOffset T0 = LadderRun.T0;

    private static ClusterConfig Config(RecoveryConfig recovery, MonitorTiming timing = MonitorTiming.Always) =>
        TestConfigs.ThreeNodesOneGroup() with
        {
            Monitors = [new MonitorConfig { Name = "uplink", Kind = MonitorKind.Nic, Target = "web", Interface = "eth1", Recovery = recovery, Timing = timing }],
        };

    private static ClusterState Apply(ClusterConfig config, ClusterState s, ClusterMessage m) => LadderRun.Apply(config, s, m);

    private static (ClusterState State, List<string> Steps) Settle(ClusterConfig config, ClusterState s) => LadderRun.Settle(config, s);

    private static ClusterState Report(ClusterConfig config, ClusterState s, string node, MonitorHealth health) =>
        Apply(config, s, new MonitorReported("uplink", node, health, $"eth1 {health}") { From = node, At = T0 });

    private static ClusterState Formed(ClusterConfig config) => Settle(config, LadderRun.Formed(config)).State;

    [Fact]
    public void An_error_where_the_group_runs_restarts_it_then_a_repeat_after_the_restart_fails_it_over_then_the_final_action_stops_it()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 1, FailoverLimit = 1, FinalAction = FinalAction.StopGroup });
        var s = Formed(config);
        Assert.Equal("n1", s.Groups["web"].Node);

        var (restarted, steps) = Settle(config, Report(config, s, "n1", MonitorHealth.Error));
        Assert.Equal(["Restart n1", "stop n1", "start n1"], steps);
        Assert.Equal(MonitorHealth.Normal, restarted.Monitors["uplink"].On("n1").Health); // the start cleans it: n1 reports again if still failing

        var (moved, moved_steps) = Settle(config, Report(config, restarted, "n1", MonitorHealth.Error));
        Assert.Equal(["Failover n1", "stop n1", "start n2"], moved_steps);
        Assert.Equal(new RecoveryCounters(1, 1, 0), moved.Monitors["uplink"].Counters);

        var (stopped, final_steps) = Settle(config, Report(config, moved, "n2", MonitorHealth.Error));
        Assert.Equal(["Final n2", "stop n2"], final_steps);
        Assert.Equal((GroupState.Offline, GroupTarget.Stopped), (stopped.Groups["web"].State, stopped.Groups["web"].Target));
    }

    [Fact]
    public void An_error_where_the_target_is_not_active_starts_no_recovery_and_says_so()
    {
        var config = Config(RecoveryConfig.ResourceDefault);
        var s = Formed(config);

        var t = StateMachine.Apply(config, s, new MonitorReported("uplink", "n2", MonitorHealth.Error, "eth1 down") { From = "n2", At = T0 });

        Assert.Contains("monitor uplink: Error on n2: eth1 down; no recovery: its target web is not active on n2", t.Notes);
        Assert.Equal(MonitorHealth.Error, t.State.Monitors["uplink"].On("n2").Health);
        Assert.Empty(Settle(config, t.State).Steps);
        Assert.Equal("Error", StatusBuilder.Build(config, t.State, "n1", true, "Synced", []).Monitors.Single(m => m.Name == "uplink").Status["n2"]);
    }

    [Fact]
    public void A_warning_or_a_return_to_normal_is_shown_and_moves_nothing()
    {
        var config = Config(RecoveryConfig.ResourceDefault);
        var s = Report(config, Formed(config), "n1", MonitorHealth.Warning);
        Assert.Empty(Settle(config, s).Steps);
        Assert.Equal(MonitorHealth.Warning, s.Monitors["uplink"].On("n1").Health);

        s = Report(config, s, "n1", MonitorHealth.Normal);
        Assert.Equal(MonitorHealth.Normal, s.Monitors["uplink"].On("n1").Health);
        Assert.Equal(0, s.Monitors["uplink"].On("n1").Detections);
    }

    [Fact]
    public void A_suspended_monitor_ignores_reports_and_clear_sets_it_normal_with_counters_zero()
    {
        var config = Config(RecoveryConfig.ResourceDefault);
        var s = Formed(config);
        s = Apply(config, s, new MonitorCommand("uplink", "n1", MonitorAction.Suspend, "operator") { From = "n2", At = T0 });
        s = Report(config, s, "n1", MonitorHealth.Error);
        Assert.Equal(MonitorHealth.Suspended, s.Monitors["uplink"].On("n1").Health);
        Assert.Empty(Settle(config, s).Steps);

        s = Apply(config, s, new MonitorCommand("uplink", null, MonitorAction.Resume, "operator") { From = "n2", At = T0 });
        (s, _) = Settle(config, Report(config, s, "n1", MonitorHealth.Error));
        Assert.Equal(new RecoveryCounters(1, 0, 0), s.Monitors["uplink"].Counters);

        s = Apply(config, s, new MonitorCommand("uplink", null, MonitorAction.Clear, "operator") { From = "n2", At = T0 });
        Assert.Equal(new RecoveryCounters(), s.Monitors["uplink"].Counters);
        Assert.All(new[] { "n1", "n2", "n3" }, n => Assert.NotEqual(MonitorHealth.Error, s.Monitors["uplink"].On(n).Health));
    }

    [Fact]
    public void Reports_for_an_unknown_monitor_or_a_node_it_does_not_run_on_change_nothing()
    {
        var config = Config(RecoveryConfig.ResourceDefault) is var c ? c with { Monitors = [c.Monitors[0] with { Nodes = ["n1", "n2"] }] } : null!;
        var s = Formed(config);

        Assert.Equal(s.Monitors, Apply(config, s, new MonitorReported("nothing", "n1", MonitorHealth.Error, "x") { From = "n1", At = T0 }).Monitors);
        Assert.Equal(s.Monitors, Apply(config, s, new MonitorReported("uplink", "n3", MonitorHealth.Error, "x") { From = "n3", At = T0 }).Monitors);
        Assert.Equal("Offline", StatusBuilder.Build(config, s, "n1", true, "Synced", []).Monitors.Single(m => m.Name == "uplink").Status["n3"]);
    }

    [Fact]
    public void With_timing_active_the_status_is_offline_where_the_target_does_not_run()
    {
        var config = Config(RecoveryConfig.ResourceDefault, MonitorTiming.Active);
        var status = StatusBuilder.Build(config, Formed(config), "n1", true, "Synced", []).Monitors.Single(m => m.Name == "uplink");

        Assert.Equal(("nic", "Normal", "Offline", "Offline"), (status.Type, status.Status["n1"], status.Status["n2"], status.Status["n3"]));
    }

    [Fact]
    public void A_recovery_script_answers_the_first_error_and_the_monitor_starts_over_so_a_repeat_goes_to_the_next_rung()
    {
        var config = Config(new RecoveryConfig { Script = "/usr/local/bin/fix", ScriptLimit = 1, RestartLimit = 1, FailoverLimit = 0 });
        var s = Formed(config);

        var (scripted, steps) = Settle(config, Report(config, s, "n1", MonitorHealth.Error));
        Assert.Equal(["Script n1"], steps);
        Assert.Equal(new RecoveryCounters(0, 0, 0, 1), scripted.Monitors["uplink"].Counters);
        Assert.Equal(MonitorHealth.Normal, scripted.Monitors["uplink"].On("n1").Health); // n1 reports again if it still fails
        Assert.Equal(GroupState.Online, scripted.Groups["web"].State);
        Assert.Equal("scripts 1/1, restarts 0/1, failovers 0/0, final none 0",
            StatusBuilder.Build(config, scripted, "n1", true, "Synced", []).Monitors.Single(m => m.Name == "uplink").Counters.Text);

        (_, steps) = Settle(config, Report(config, scripted, "n1", MonitorHealth.Error));
        Assert.Equal(["Restart n1", "stop n1", "start n1"], steps);
    }

    [Fact]
    public void With_target_all_groups_an_error_fails_over_every_group_active_on_the_node()
    {
        var two = TestConfigs.Cluster(3, TestConfigs.Group("web", "n1", "n2", "n3"), TestConfigs.Group("db", "n1", "n3", "n2"), TestConfigs.Group("batch", "n2", "n1"));
        var config = two with
        {
            Monitors = [new MonitorConfig { Name = "uplink", Kind = MonitorKind.Nic, Target = "web", Interface = "eth1",
                Recovery = new RecoveryConfig { Scope = RecoveryScope.AllGroups, RestartLimit = 0, FailoverLimit = 1 } }],
        };
        var s = Formed(config);
        Assert.Equal(("n1", "n1", "n2"), (s.Groups["web"].Node, s.Groups["db"].Node, s.Groups["batch"].Node));

        var (moved, steps) = Settle(config, Report(config, s, "n1", MonitorHealth.Error));

        Assert.Equal("Failover n1", steps[0]);
        Assert.Equal(("n2", "n3", "n2"), (moved.Groups["web"].Node, moved.Groups["db"].Node, moved.Groups["batch"].Node));
        Assert.All(new[] { "web", "db" }, g => Assert.Equal(GroupState.Online, moved.Groups[g].State));
        Assert.Equal(new RecoveryCounters(0, 1, 0), moved.Monitors["uplink"].Counters);

        // An error where no group is active: nothing to recover, and that is said.
        var repaired = Report(config, moved, "n1", MonitorHealth.Normal);
        var idle = StateMachine.Apply(config, repaired, new MonitorReported("uplink", "n1", MonitorHealth.Error, "eth1 down") { From = "n1", At = T0 });
        Assert.Contains("monitor uplink: Error on n1: eth1 down; no recovery: no group is active on n1", idle.Notes);
    }
}
