using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>What a node reports it runs when it gains the state decides where groups are, and blocks placement until then.</summary>
public sealed class ProbeTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();

    private static ClusterState Formed()
    {
        var s = ClusterState.Initial(Config);
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        return StateMachine.Apply(Config, s, new ClusterSettled("test") { From = "n1", At = T0 }).State;
    }

    private static ClusterState Probe(ClusterState s, string node, params string[] running) =>
        StateMachine.Apply(Config, s, new ProbeReport([.. running]) { From = node, At = T0 }).State;

    private static Plan Decide(ClusterState s) => Coordinator.Decide(Config, s, new PlanContext("n1", true, T0, T0));

    [Fact]
    public void Nothing_is_placed_until_every_healthy_member_has_reported()
    {
        var s = Probe(Probe(Formed(), "n1"), "n3");

        Assert.Empty(Decide(s).Decisions);
        Assert.Equal(["group web: waiting for n2 to report what runs there"], Decide(s).Waiting.ToArray());

        var start = Assert.Single(Decide(Probe(s, "n2")).Decisions);
        Assert.Equal(new GroupStartOrdered("web", "n1", "n1 is the first healthy node of [n1, n2, n3]"), start.Message with { From = "", At = default });
    }

    [Fact]
    public void A_group_found_running_where_the_cluster_thought_it_stopped_is_adopted_there()
    {
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2", "web"), "n3");

        var web = s.Groups["web"];
        Assert.Equal((GroupState.Online, "n2"), (web.State, web.Node));
        Assert.Equal("found running on n2 when it joined", web.Reason);
        Assert.All(s.Nodes.Values, n => Assert.Equal((NodeState.Online, true), (n.State, n.Probed)));
        Assert.Empty(Decide(s).Decisions); // stays where it runs: no failback, no second start
    }

    [Fact]
    public void A_group_found_running_a_second_time_makes_that_node_Unclean_and_it_is_fenced()
    {
        var s = Probe(Probe(Probe(Formed(), "n1", "web"), "n2"), "n3", "web");

        Assert.Equal(("Online", "n1"), (s.Groups["web"].State.ToString(), s.Groups["web"].Node));
        var n3 = s.Nodes["n3"];
        Assert.Equal((NodeState.Unclean, "runs web (Online on n1) a second time"), (n3.State, n3.Reason));
        var fence = Assert.Single(Decide(s).Decisions);
        Assert.Equal("fence:n3", fence.Key);
    }

    [Fact]
    public void A_node_that_joins_again_must_report_again()
    {
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2"), "n3");
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2], [new MemberLeft(3, LeaveReason.Leave)], [])).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [3])).State;

        Assert.False(s.Nodes["n3"].Probed);
        Assert.True(s.Nodes["n1"].Probed);
    }
    /// <summary>
    /// Seeds 117952, 173307: web Online on n1 in the state, n1 taken back (cleared as the only node left, say) and
    /// not probed yet, its palisaded a process that never started anything.
    /// </summary>
    private static ClusterState WebOnlineOnN1ThenN1Rejoins()
    {
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2"), "n3");
        s = StateMachine.Apply(Config, s, new GroupStartOrdered("web", "n1", "test") { From = "n1", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new GroupStarted("web", "n1") { From = "n1", At = T0 }).State;
        return s with { Nodes = s.Nodes.SetItem("n1", s.Nodes["n1"] with { Probed = false }) };
    }

    [Fact]
    public void A_fresh_palisaded_that_does_not_find_a_group_the_state_shows_on_its_node_frees_it_and_one_it_cannot_tell_about_is_stopped_there()
    {
        var before = WebOnlineOnN1ThenN1Rejoins();
        Assert.Equal((GroupState.Online, "n1"), (before.Groups["web"].State, before.Groups["web"].Node));

        var notFound = StateMachine.Apply(Config, before, new ProbeReport([], "n1-2", Fresh: true) { From = "n1", At = T0 }).State;
        var unsure = StateMachine.Apply(Config, before, new ProbeReport([], "n1-2", Uncertain: ["web"], Fresh: true) { From = "n1", At = T0 }).State;
        var notFresh = StateMachine.Apply(Config, before, new ProbeReport([], "n1-2") { From = "n1", At = T0 }).State;

        Assert.Equal((GroupState.Offline, null), (notFound.Groups["web"].State, notFound.Groups["web"].Node));
        Assert.Equal("not running on n1: its palisaded, which has started nothing, did not find it", notFound.Groups["web"].Reason);
        Assert.Equal((GroupState.Stopping, "n1"), (unsure.Groups["web"].State, unsure.Groups["web"].Node));
        // A palisaded that has started groups may be starting this one while it probes: the state is kept.
        Assert.Equal((GroupState.Online, "n1"), (notFresh.Groups["web"].State, notFresh.Groups["web"].Node));
    }

    [Fact]
    public void A_stop_that_died_with_an_earlier_palisaded_is_done_if_the_group_is_gone_and_ordered_again_if_it_runs()
    {
        // Seed 2063836: the stop hung, its palisaded was killed, the node came back alone and was cleared; the old
        // stop's deadline made it Unclean again round after round.
        var online = WebOnlineOnN1ThenN1Rejoins();
        var before = StateMachine.Apply(Config, online, new GroupStopOrdered("web", "n1", "moving to n2") { From = "n1", At = T0 }).State;
        var later = T0.AddMinutes(2);

        var gone = StateMachine.Apply(Config, before, new ProbeReport([], "n1-2", Fresh: true, Idle: true) { From = "n1", At = later }).State;
        var runs = StateMachine.Apply(Config, before, new ProbeReport(["web"], "n1-2", Fresh: true, Idle: true) { From = "n1", At = later }).State;
        var busy = StateMachine.Apply(Config, before, new ProbeReport(["web"], "n1-2", Fresh: true) { From = "n1", At = later }).State;

        Assert.Equal((GroupState.Offline, null), (gone.Groups["web"].State, gone.Groups["web"].Node));
        Assert.Equal((GroupState.Stopping, "n1", later), (runs.Groups["web"].State, runs.Groups["web"].Node, runs.Groups["web"].Since));
        Assert.Equal("its stop on n1 ended with an earlier palisaded there: stopping it again", runs.Groups["web"].Reason);
        // A palisaded that was asked to stop something may be stopping it now: the state and its deadline are kept.
        Assert.Equal((GroupState.Stopping, T0), (busy.Groups["web"].State, busy.Groups["web"].Since));
    }

    [Fact]
    public void A_start_request_keeps_the_recovery_of_a_resource_that_failed_where_the_group_runs()
    {
        // Seed 110085: a start asked while the failed group's recovery was lost on a refused send cleared the failure.
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2"), "n3");
        s = StateMachine.Apply(Config, s, new GroupStartOrdered("web", "n1", "test") { From = "n1", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new GroupStarted("web", "n1") { From = "n1", At = T0 }).State;
        var resource = s.Groups["web"].Resources.Keys.First();
        s = StateMachine.Apply(Config, s, new ResourceFailed("web", resource, "n1", "monitor: NotRunning") { From = "n1", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new AdminRequest("web", AdminAction.Start, null, "operator") { From = "n2", At = T0 }).State;

        // The failure still waits for its answer from the recovery ladder: a restart in place first.
        var recovery = Assert.IsType<RecoveryOrdered>(Assert.Single(Decide(s).Decisions).Message);
        Assert.Equal((RecoveryRung.Restart, "n1"), (recovery.Rung, recovery.Node));
    }
    [Fact]
    public void A_start_delivered_while_a_member_that_joined_has_not_reported_is_ignored()
    {
        // Seed 108496: decided just before n3 joined; n3 carried an operator's stop of the group on its disk.
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2"), "n3");
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2], [new MemberLeft(3, LeaveReason.Leave)], [])).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [3])).State;
        var start = new GroupStartOrdered("web", "n1", "test") { From = "n1", At = T0 };

        var early = StateMachine.Apply(Config, s, start);
        var after = StateMachine.Apply(Config, Probe(s, "n3"), start).State;

        Assert.Equal(GroupState.Offline, early.State.Groups["web"].State);
        Assert.Contains("ignored the start of web on n1: decided before n3 joined, which has not reported what it runs", early.Notes);
        Assert.Equal((GroupState.Starting, "n1"), (after.Groups["web"].State, after.Groups["web"].Node));
    }

    [Fact]
    public void A_node_whose_last_palisaded_was_leaving_is_not_leaving_once_it_is_back()
    {
        // Seed 151021: n2's palisaded shut down, its stop failed, it was lost and came back as a new process; still
        // marked leaving, it was never healthy again and its groups had nowhere to go.
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2"), "n3");
        s = StateMachine.Apply(Config, s, new NodeLeaving("palisaded is shutting down") { From = "n2", At = T0 }).State;
        s = s with { Nodes = s.Nodes.SetItem("n2", s.Nodes["n2"] with { State = NodeState.Unclean, Reason = "stop failed" }) };
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 3], [new MemberLeft(2, LeaveReason.NodeDown)], [])).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [2])).State;

        s = StateMachine.Apply(Config, s, new ProbeReport([], "n2-2", Fresh: true) { From = "n2", At = T0 }).State;

        Assert.Equal((NodeState.Online, false), (s.Nodes["n2"].State, s.Nodes["n2"].Leaving));
        Assert.True(s.IsHealthy("n2"));
    }
    [Fact]
    public void A_node_whose_probe_cannot_tell_about_a_group_running_elsewhere_stops_it_there_and_is_fenced_only_if_that_stop_fails()
    {
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2"), "n3");
        s = StateMachine.Apply(Config, s, new GroupStartOrdered("web", "n1", "test") { From = "n1", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new GroupStarted("web", "n1") { From = "n1", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 3], [new MemberLeft(2, LeaveReason.Leave)], [])).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [2])).State;

        var unsure = StateMachine.Apply(Config, s, new ProbeReport([], "n2-2", Uncertain: ["web"]) { From = "n2", At = T0 }).State;

        Assert.Equal((NodeState.Online, true), (unsure.Nodes["n2"].State, unsure.Nodes["n2"].Probed));
        Assert.Equal(["web"], unsure.Nodes["n2"].MustStop.ToArray());
        Assert.Equal((GroupState.Online, "n1"), (unsure.Groups["web"].State, unsure.Groups["web"].Node));

        var stopped = StateMachine.Apply(Config, unsure, new GroupStopped("web", "n2", "stopped") { From = "n2", At = T0 }).State;
        var failed = StateMachine.Apply(Config, unsure, new GroupStopFailed("web", "n2", "stop exited 1") { From = "n2", At = T0 }).State;

        Assert.Empty(stopped.Nodes["n2"].MustStop);
        Assert.Equal((GroupState.Online, "n1"), (stopped.Groups["web"].State, stopped.Groups["web"].Node));
        Assert.Equal((NodeState.Unclean, "stop of group web failed: stop exited 1"), (failed.Nodes["n2"].State, failed.Nodes["n2"].Reason));
        Assert.Equal((GroupState.Online, "n1"), (failed.Groups["web"].State, failed.Groups["web"].Node));
    }

    [Fact]
    public void A_group_is_not_placed_while_a_node_that_could_not_tell_is_still_stopping_it_there()
    {
        // Seed 11030360: web went Offline elsewhere while n2, whose probe could not tell, was still stopping it; the
        // coordinator started web on n1 beside the copy n2 might still run.
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2"), "n3");
        s = StateMachine.Apply(Config, s, new GroupStartOrdered("web", "n3", "test") { From = "n1", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new GroupStarted("web", "n3") { From = "n3", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 3], [new MemberLeft(2, LeaveReason.Leave)], [])).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [2])).State;
        s = StateMachine.Apply(Config, s, new ProbeReport([], "n2-2", Uncertain: ["web"]) { From = "n2", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new GroupStopOrdered("web", "n3", "test") { From = "n1", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new GroupStopped("web", "n3", "stopped") { From = "n3", At = T0 }).State;
        Assert.Equal((GroupState.Offline, GroupTarget.Started), (s.Groups["web"].State, s.Groups["web"].Target));

        var plan = Coordinator.Decide(Config, s, new PlanContext("n1", true, T0, T0));

        Assert.DoesNotContain(plan.Decisions, d => d.Message is GroupStartOrdered);
        Assert.Contains(plan.Waiting, w => w.Contains("waiting for n2", StringComparison.Ordinal));

        var stopped = StateMachine.Apply(Config, s, new GroupStopped("web", "n2", "stopped") { From = "n2", At = T0 }).State;
        Assert.Contains(Coordinator.Decide(Config, stopped, new PlanContext("n1", true, T0, T0)).Decisions, d => d.Message is GroupStartOrdered);
    }
}
