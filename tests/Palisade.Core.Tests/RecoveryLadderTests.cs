using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Palisade.Core.Status;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>Each error a resource monitor detects is answered by the next rung: restart in place, failover, final action.</summary>
public sealed class RecoveryLadderTests
{
    private static readonly DateTimeOffset T0 = LadderRun.T0;

    private static ClusterConfig Config(RecoveryConfig recovery)
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var web = config.Groups[0];
        return config with { Groups = [web with { Resources = [.. web.Resources.Select(r => r with { Recovery = recovery })] }] };
    }

    private static ClusterState Apply(ClusterConfig config, ClusterState s, ClusterMessage m) => LadderRun.Apply(config, s, m);

    private static (ClusterState State, List<string> Steps) Settle(ClusterConfig config, ClusterState s) => LadderRun.Settle(config, s);

    private static ClusterState Formed(ClusterConfig config) => LadderRun.Formed(config);

    private static ClusterState Fail(ClusterConfig config, ClusterState s) =>
        Apply(config, s, new ResourceFailed("web", "app", s.Groups["web"].Node!, "monitor: NotRunning") { From = s.Groups["web"].Node!, At = T0 });

    [Fact]
    public void Two_restarts_then_one_failover_then_the_final_action_stops_the_group_and_the_counters_say_so()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 2, FailoverLimit = 1, FinalAction = FinalAction.StopGroup });
        var (s, steps) = Settle(config, Formed(config));
        Assert.Equal(["start n1"], steps);

        (s, steps) = Settle(config, Fail(config, s));
        Assert.Equal(["Restart n1", "stop n1", "start n1"], steps);
        (s, steps) = Settle(config, Fail(config, s));
        Assert.Equal(["Restart n1", "stop n1", "start n1"], steps);
        (s, steps) = Settle(config, Fail(config, s));
        Assert.Equal(["Failover n1", "stop n1", "start n2"], steps);
        Assert.Equal(MonitorHealth.Normal, s.Monitors["web/app"].On("n2").Health);
        (s, steps) = Settle(config, Fail(config, s));
        Assert.Equal(["Final n2", "stop n2"], steps);

        var web = s.Groups["web"];
        Assert.Equal((GroupState.Offline, GroupTarget.Stopped, "final action of monitor web/app"), (web.State, web.Target, web.TargetBy));
        Assert.Equal(new RecoveryCounters(2, 1, 1), s.Monitors["web/app"].Counters);
    }

    [Fact]
    public void An_operator_stop_outranks_an_unanswered_error_no_restart_starts_what_was_stopped()
    {
        // Seed 7025366: a resource failed, its restart was not ordered yet, then the operator stopped the group; the
        // coordinator ordered the restart first and the group started again after the stop.
        var config = Config(new RecoveryConfig { RestartLimit = 2, FailoverLimit = 1, FinalAction = FinalAction.StopGroup });
        var (s, _) = Settle(config, Formed(config));
        s = Fail(config, s);
        s = Apply(config, s, new AdminRequest("web", AdminAction.Stop, null, "operator") { From = "n3", At = T0 });

        var (stopped, steps) = Settle(config, s);

        Assert.Equal(["stop n1"], steps);
        Assert.Equal((GroupState.Offline, GroupTarget.Stopped), (stopped.Groups["web"].State, stopped.Groups["web"].Target));
        Assert.Equal(new RecoveryCounters(), stopped.Monitors["web/app"].Counters);
    }

    [Fact]
    public void With_final_action_none_the_group_stays_with_its_failed_resource_until_a_cleanup_starts_the_ladder_again()
    {
        var config = Config(RecoveryConfig.ResourceDefault);
        var (s, _) = Settle(config, Formed(config));
        (s, _) = Settle(config, Fail(config, s));
        (s, _) = Settle(config, Fail(config, s));
        Assert.Equal("n2", s.Groups["web"].Node);

        var (exhausted, steps) = Settle(config, Fail(config, s));

        Assert.Equal(["Exhausted n2"], steps);
        Assert.True(Recovery.Exhausted(config, config.Groups[0], exhausted.Groups["web"], exhausted));
        Assert.Equal((GroupState.Online, "n2"), (exhausted.Groups["web"].State, exhausted.Groups["web"].Node));

        var cleaned = Apply(config, exhausted, new AdminRequest("web", AdminAction.Cleanup, null, "operator") { From = "n3", At = T0 });
        Assert.Empty(cleaned.Groups["web"].FailedOn);
        Assert.Equal(new RecoveryCounters(), cleaned.Monitors["web/app"].Counters);
        (_, steps) = Settle(config, cleaned);
        Assert.Equal(["Restart n2", "stop n2", "start n2"], steps);
    }

    [Fact]
    public void With_no_other_node_to_go_to_the_failover_waits_for_one_and_a_stale_order_moves_nothing()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 1, FinalAction = FinalAction.StopGroup });
        var (s, _) = Settle(config, Formed(config));
        s = Apply(config, s, new MembershipChanged([1], [new MemberLeft(2, LeaveReason.Leave), new MemberLeft(3, LeaveReason.Leave)], []));
        s = Fail(config, s);

        var alone = Coordinator.Decide(config, s, new PlanContext("n1", true, T0, T0));
        Assert.Empty(alone.Decisions);
        Assert.Contains("group web: web/app failed on n1; failover 1 of 1 waits for a healthy node where it has not failed", alone.Waiting);
        Assert.Equal(new RecoveryCounters(), s.Monitors["web/app"].Counters);

        s = Apply(config, s, new MembershipChanged([1, 2], [], [2]));
        s = Apply(config, s, new ProbeReport([]) { From = "n2", At = T0 });
        var decision = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, s, new PlanContext("n1", true, T0, T0)).Decisions).Message);
        Assert.Equal((RecoveryRung.Failover, "n2"), (decision.Rung, decision.To));

        var once = Apply(config, s, decision);
        Assert.Equal(once.Monitors, Apply(config, once, decision).Monitors); // the same error is answered once
    }

    [Fact]
    public void After_reset_after_of_running_cleanly_the_counters_go_back_to_zero()
    {
        var config = Config(RecoveryConfig.ResourceDefault with { ResetAfter = TimeSpan.FromSeconds(60) });
        var (s, _) = Settle(config, Formed(config));
        (s, _) = Settle(config, Fail(config, s));
        Assert.Equal(new RecoveryCounters(1, 0, 0), s.Monitors["web/app"].Counters);

        Assert.Empty(Coordinator.Decide(config, s, new PlanContext("n1", true, T0.AddSeconds(59), T0)).Decisions);
        var reset = Assert.Single(Coordinator.Decide(config, s, new PlanContext("n1", true, T0.AddSeconds(60), T0)).Decisions);

        Assert.Equal("reset:web/app", reset.Key);
        s = Apply(config, s, reset.Message);
        Assert.Equal(new RecoveryCounters(), s.Monitors["web/app"].Counters);
        Assert.Empty(Coordinator.Decide(config, s, new PlanContext("n1", true, T0.AddSeconds(120), T0)).Decisions);
    }
    [Fact]
    public void A_suspended_monitor_stays_suspended_through_a_restart_and_clear_resets_its_error_and_counters()
    {
        var config = Config(RecoveryConfig.ResourceDefault);
        var (s, _) = Settle(config, Formed(config));
        (s, _) = Settle(config, Fail(config, s));
        Assert.Equal(new RecoveryCounters(1, 0, 0), s.Monitors["web/app"].Counters);

        s = Apply(config, s, new MonitorCommand("web/app", "n1", MonitorAction.Suspend, "operator") { From = "n2", At = T0 });
        Assert.Equal(MonitorHealth.Suspended, s.Monitors["web/app"].On("n1").Health);
        s = Apply(config, s, new GroupStopOrdered("web", "n1", "test") { From = "n1", At = T0 });
        s = Apply(config, s, new GroupStopped("web", "n1", "test") { From = "n1", At = T0 });
        (s, _) = Settle(config, s);
        Assert.Equal(MonitorHealth.Suspended, s.Monitors["web/app"].On("n1").Health);

        s = Apply(config, s, new MonitorCommand("web/app", null, MonitorAction.Resume, "operator") { From = "n2", At = T0 });
        s = Apply(config, s, new MonitorCommand("web/app", null, MonitorAction.Clear, "operator") { From = "n2", At = T0 });
        Assert.All(config.Groups[0].Nodes, n => Assert.Equal(MonitorHealth.Normal, s.Monitors["web/app"].On(n).Health));
        Assert.Equal(new RecoveryCounters(), s.Monitors["web/app"].Counters);

        var unknown = StateMachine.Apply(config, s, new MonitorCommand("web/nothing", null, MonitorAction.Suspend, "operator") { From = "n2", At = T0 });
        Assert.Equal(s.Monitors, unknown.State.Monitors);
    }
    [Fact]
    public void A_failover_goes_to_the_next_node_of_the_server_group_it_leaves_before_any_node_listed_earlier_elsewhere()
    {
        var config = LadderRun.TwoSites(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 2 });
        var (s, _) = Settle(config, Formed(config));
        Assert.Equal("n1", s.Groups["web"].Node);

        var (moved, steps) = Settle(config, Fail(config, s));
        Assert.Equal(["Failover n1", "stop n1", "start n2"], steps);

        // From n2, site-a has no other node left: the second failover waits for one there, and goes nowhere else.
        var failed = Fail(config, moved);
        (_, steps) = Settle(config, failed);
        Assert.Empty(steps);
        Assert.Contains("group web: web/app failed on n2; failover 2 of 2 waits for a healthy node of server group site-a where it has not failed",
            Coordinator.Decide(config, failed, new PlanContext("n1", true, T0, T0)).Waiting);
    }

    [Fact]
    public void The_final_action_bmc_power_off_fences_the_node_and_the_group_starts_elsewhere()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = FinalAction.BmcPowerOff });
        var (s, _) = Settle(config, Formed(config));

        var t = StateMachine.Apply(config, Fail(config, s), Assert.IsType<RecoveryOrdered>(
            Assert.Single(Coordinator.Decide(config, Fail(config, s), new PlanContext("n1", true, T0, T0)).Decisions).Message) with { From = "n1", At = T0 });

        Assert.Contains("node n1 is Unclean: final action bmc_power_off of monitor web/app", t.Notes);
        Assert.Equal((NodeState.Unclean, "final action bmc_power_off of monitor web/app"), (t.State.Nodes["n1"].State, t.State.Nodes["n1"].KillRequestedBy));
        Assert.Equal(["n1"], t.State.Groups["web"].FailedOn);
        Assert.Equal(new RecoveryCounters(0, 0, 1), t.State.Monitors["web/app"].Counters);
        Assert.Equal("n2", t.State.Coordinator?.Name); // an Unclean node coordinates no more
        var fence = Assert.IsType<FenceStarted>(Assert.Single(Coordinator.Decide(config, t.State, new PlanContext("n2", true, T0, T0)).Decisions).Message);
        Assert.Equal(("n1", "n2"), (fence.Target, fence.Executor));
    }

    [Fact]
    public void A_final_action_that_takes_the_node_down_is_suppressed_when_no_other_node_could_run_the_group()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = FinalAction.BmcPowerOff });
        var (s, _) = Settle(config, Formed(config));
        s = Apply(config, s, new MembershipChanged([1], [new MemberLeft(2, LeaveReason.Leave), new MemberLeft(3, LeaveReason.Leave)], []));

        var (after, steps) = Settle(config, Fail(config, s));

        Assert.Equal(["Exhausted n1"], steps);
        Assert.Equal(NodeState.Online, after.Nodes["n1"].State);
        var decision = Assert.IsType<RecoveryOrdered>(Coordinator.Decide(config, Fail(config, s), new PlanContext("n1", true, T0, T0)).Decisions.Single().Message);
        Assert.Contains("final action bmc_power_off suppressed: no other node is Online to run web", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_final_action_is_suppressed_too_when_the_other_online_nodes_are_ones_the_group_failed_on()
    {
        // The other nodes are Online but placement would not pick them: powering this one off would leave web nowhere.
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = FinalAction.BmcPowerOff });
        var (s, _) = Settle(config, Formed(config));
        s = s with { Groups = s.Groups.SetItem("web", s.Groups["web"] with { FailedOn = ["n2", "n3"] }) };

        var (after, steps) = Settle(config, Fail(config, s));

        Assert.Equal(["Exhausted n1"], steps);
        Assert.Equal(NodeState.Online, after.Nodes["n1"].State);
        var shown = Assert.Single(StatusBuilder.Build(config, after, "n1", true, "Synced", []).Monitors, m => m.Name == "web/app");
        Assert.Contains("final action bmc_power_off suppressed", shown.LastReason, StringComparison.Ordinal);
        Assert.Contains("suppressed", after.Groups["web"].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_failover_outside_server_group_a_failover_with_no_node_left_in_its_server_group_goes_to_another()
    {
        var config = LadderRun.TwoSites(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 2, FailoverOutsideServerGroup = true });
        var (s, _) = Settle(config, Formed(config));
        var (moved, steps) = Settle(config, Fail(config, s));
        Assert.Equal(["Failover n1", "stop n1", "start n2"], steps); // inside site-a first

        var failed = Fail(config, moved);
        var decision = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, failed, new PlanContext("n1", true, T0, T0)).Decisions).Message);
        Assert.Equal((RecoveryRung.Failover, "n3"), (decision.Rung, decision.To));
        Assert.Contains("failover 2 of 2, to n3 outside server group site-a (none of its nodes can run it)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_final_action_stop_cluster_service_marks_the_node_failed_and_tells_it_to_leave()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = FinalAction.StopClusterService });
        var (s, _) = Settle(config, Formed(config));
        var failed = Fail(config, s);
        var order = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, failed, new PlanContext("n1", true, T0, T0)).Decisions).Message);
        Assert.Equal(RecoveryRung.Final, order.Rung);

        var after = StateMachine.Apply(config, failed, order).State;
        Assert.Equal(["n1"], after.Groups["web"].FailedOn);
        Assert.Equal(NodeState.Online, after.Nodes["n1"].State); // it leaves by itself: nobody fences it
        Assert.Equal(new RecoveryCounters(0, 0, 1), after.Monitors["web/app"].Counters);
    }

    [Fact]
    public void The_final_action_stop_cluster_service_and_reboot_lets_the_node_leave_then_fences_it_and_powers_it_on_again()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = FinalAction.StopClusterServiceAndReboot });
        var (s, _) = Settle(config, Formed(config));
        var failed = Fail(config, s);
        var order = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, failed, new PlanContext("n1", true, T0, T0)).Decisions).Message);

        var after = StateMachine.Apply(config, failed, order with { From = "n1", At = T0 }).State;
        Assert.Equal((NodeState.Online, NodePowerAction.Cycle), (after.Nodes["n1"].State, after.Nodes["n1"].PowerAction));

        // Its palisaded stops web, reports it and leaves cleanly: the cluster then fences it, asking for power on after.
        after = Apply(config, after, new GroupStopped("web", "n1", "stopped: palisaded is shutting down") { From = "n1", At = T0 });
        after = Apply(config, after, new MembershipChanged([2, 3], [new MemberLeft(1, LeaveReason.Leave)], []));
        Assert.Equal(NodeState.Unclean, after.Nodes["n1"].State);
        Assert.Equal("left the cluster cleanly; the final action stop_cluster_service_and_reboot of monitor web/app powers it off", after.Nodes["n1"].Reason);
        var fence = Coordinator.Decide(config, after, new PlanContext("n2", true, T0, T0)).Decisions.Select(d => d.Message).OfType<FenceStarted>().Single();
        Assert.Equal(("n1", Palisade.Core.Shutdown.FenceOrigin.Requested, true), (fence.Target, fence.Origin, fence.PowerOnAfter));

        // Once confirmed off it is Fenced, and nothing more is pending for it.
        after = Apply(config, Apply(config, after, fence), new FenceCompleted("n1", true, "1:ipmi", "off") { From = "n2", At = T0 });
        Assert.Equal((NodeState.Fenced, NodePowerAction.None), (after.Nodes["n1"].State, after.Nodes["n1"].PowerAction));
    }

    [Fact]
    public void With_a_resource_target_a_restart_starts_that_resource_again_and_the_group_stays_Online()
    {
        var config = Config(new RecoveryConfig { Scope = RecoveryScope.Resource, Resource = "app", RestartLimit = 1, FailoverLimit = 1 });
        var (s, _) = Settle(config, Formed(config));

        var failed = Fail(config, s);
        var order = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, failed, new PlanContext("n1", true, T0, T0)).Decisions).Message);
        Assert.Equal((RecoveryRung.Restart, "web"), (order.Rung, order.Group));
        var restarting = Apply(config, failed, order);
        var web = restarting.Groups["web"];
        Assert.Equal((GroupState.Online, "n1", ResourceState.Started, ResourceState.Starting), (web.State, web.Node, web.Resources["ip"], web.Resources["app"]));
        Assert.Empty(Coordinator.Decide(config, restarting, new PlanContext("n1", true, T0, T0)).Decisions); // nothing stops the group

        // n1 reports app started again; the next failure of app goes on to the failover.
        var back = Apply(config, restarting, new ResourceReport("web", "app", "n1", ResourceState.Started, "started") { From = "n1", At = T0 });
        Assert.Equal(ResourceState.Started, back.Groups["web"].Resources["app"]);
        var (moved, steps) = Settle(config, Fail(config, back));
        Assert.Equal(["Failover n1", "stop n1", "start n2"], steps);
        Assert.Equal(new RecoveryCounters(1, 1, 0), moved.Monitors["web/app"].Counters);
    }

    [Theory]
    [InlineData(FinalAction.BmcNmi, false, true)]
    [InlineData(FinalAction.Panic, false, true)]
    [InlineData(FinalAction.BmcReset, true, false)]
    [InlineData(FinalAction.BmcPowerCycle, true, false)]
    [InlineData(FinalAction.BmcPowerOff, false, false)]
    public void A_node_level_final_action_fences_the_node_and_says_what_the_fence_does_before_and_after(FinalAction final, bool powerOnAfter, bool dumpFirst)
    {
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = final });
        var (s, _) = Settle(config, Formed(config));
        var failed = Fail(config, s);
        var order = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, failed, new PlanContext("n1", true, T0, T0)).Decisions).Message);

        var after = Apply(config, failed, order with { From = "n1", At = T0 });
        Assert.Equal(NodeState.Unclean, after.Nodes["n1"].State);
        var fence = Coordinator.Decide(config, after, new PlanContext("n2", true, T0, T0)).Decisions.Select(d => d.Message).OfType<FenceStarted>().Single();
        Assert.Equal(("n1", powerOnAfter, dumpFirst), (fence.Target, fence.PowerOnAfter, fence.DumpFirst));
    }

    [Fact]
    public void With_system_node_actions_the_node_acts_itself_and_nobody_fences_it_for_the_final_action()
    {
        var baseConfig = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = FinalAction.Panic });
        var config = baseConfig with { NodeActions = new NodeActionsConfig { System = true } };
        var (s, _) = Settle(config, Formed(config));
        var failed = Fail(config, s);
        var order = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, failed, new PlanContext("n1", true, T0, T0)).Decisions).Message);

        var after = Apply(config, failed, order with { From = "n1", At = T0 });
        Assert.Equal((NodeState.Online, NodePowerAction.None), (after.Nodes["n1"].State, after.Nodes["n1"].PowerAction)); // it panics by itself
        Assert.Equal(["n1"], after.Groups["web"].FailedOn);

        var shutdown = config with { Groups = [.. Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = FinalAction.StopClusterServiceAndShutdown }).Groups] };
        var left = Apply(shutdown, Fail(shutdown, Settle(shutdown, Formed(shutdown)).State), order with { From = "n1", At = T0 });
        Assert.Equal(NodePowerAction.None, left.Nodes["n1"].PowerAction); // it powers itself off once it has left: no fence
    }

    [Fact]
    public void The_final_action_stop_resource_stops_that_resource_and_the_group_stays_Online_without_it()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 0, FinalAction = FinalAction.StopResource });
        var (s, _) = Settle(config, Formed(config));
        var failed = Fail(config, s);
        var order = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, failed, new PlanContext("n1", true, T0, T0)).Decisions).Message);
        Assert.Equal(RecoveryRung.Final, order.Rung);

        var after = Apply(config, failed, order with { From = "n1", At = T0 });
        after = Apply(config, after, new ResourceReport("web", "app", "n1", ResourceState.Stopped, "stopped") { From = "n1", At = T0 });
        var web = after.Groups["web"];
        Assert.Equal((GroupState.Online, "n1", ResourceState.Started, ResourceState.Stopped), (web.State, web.Node, web.Resources["ip"], web.Resources["app"]));
        Assert.Equal(new RecoveryCounters(0, 0, 1), after.Monitors["web/app"].Counters);
        Assert.Empty(Coordinator.Decide(config, after, new PlanContext("n1", true, T0, T0)).Decisions); // nothing more is done
    }

    [Fact]
    public void A_cleanup_of_one_node_frees_only_that_node_and_keeps_the_counters()
    {
        var config = Config(new RecoveryConfig { RestartLimit = 0, FailoverLimit = 2 });
        var (s, _) = Settle(config, Formed(config));
        (s, _) = Settle(config, Fail(config, s));
        (s, _) = Settle(config, Fail(config, s));
        Assert.Equal(["n1", "n2"], s.Groups["web"].FailedOn);

        var one = Apply(config, s, new AdminRequest("web", AdminAction.Cleanup, "n1", "operator") { From = "n3", At = T0 });
        Assert.Equal(["n2"], one.Groups["web"].FailedOn);
        Assert.Equal(new RecoveryCounters(0, 2, 0), one.Monitors["web/app"].Counters);

        var all = Apply(config, one, new AdminRequest("web", AdminAction.Cleanup, null, "operator") { From = "n3", At = T0 });
        Assert.Empty(all.Groups["web"].FailedOn);
        Assert.Equal(new RecoveryCounters(), all.Monitors["web/app"].Counters);
    }
}
