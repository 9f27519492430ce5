using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary><c>palisade node standby|online</c>: nothing is placed on a node in standby; what runs there moves away when it can.</summary>
public sealed class StandbyTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();
    private static readonly PlanContext OnN1 = new("n1", true, T0, T0);

    private static ClusterState Formed(params string[] members)
    {
        var ids = members.Select(m => uint.Parse(m[1..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var s = ClusterState.Initial(Config);
        s = StateMachine.Apply(Config, s, new MembershipChanged([.. ids], [], [.. ids])).State;
        s = StateMachine.Apply(Config, s, new ClusterSettled("test") { From = members[0], At = T0 }).State;
        foreach (var node in members)
        {
            s = StateMachine.Apply(Config, s, new ProbeReport([]) { From = node, At = T0 }).State;
        }

        return s;
    }

    private static ClusterState Apply(ClusterState s, NodeMessage m) => StateMachine.Apply(Config, s, m).State;

    private static ClusterState WebOnline(ClusterState s, string node) =>
        Apply(Apply(s, new GroupStartOrdered("web", node, "test") { From = "n1", At = T0 }), new GroupStarted("web", node) { From = node, At = T0 });

    private static NodeStandbyRequest Standby(string node, bool on = true, DateTimeOffset? at = null) =>
        new(node, on, "operator on n3") { From = "n3", At = at ?? T0 };

    [Fact]
    public void A_group_is_not_started_on_a_node_in_standby_but_on_the_next_one()
    {
        var s = Apply(Formed("n1", "n2", "n3"), Standby("n1"));

        var plan = Coordinator.Decide(Config, s, OnN1);

        var start = Assert.IsType<GroupStartOrdered>(Assert.Single(plan.Decisions).Message);
        Assert.Equal("n2", start.Node);
        Assert.True(s.Nodes["n1"].Standby);
        Assert.Equal("n1", s.Coordinator?.Name);
    }

    [Fact]
    public void A_group_on_a_node_put_in_standby_is_stopped_there_and_started_on_another()
    {
        var s = Apply(WebOnline(Formed("n1", "n2", "n3"), "n1"), Standby("n1"));

        var stop = Assert.IsType<GroupStopOrdered>(Assert.Single(Coordinator.Decide(Config, s, OnN1).Decisions).Message);
        Assert.Equal("n1", stop.Node);
        Assert.Contains("n1 is in standby", stop.Reason, StringComparison.Ordinal);

        s = Apply(Apply(s, stop), new GroupStopped("web", "n1", "stopped") { From = "n1", At = T0 });
        var start = Assert.IsType<GroupStartOrdered>(Assert.Single(Coordinator.Decide(Config, s, OnN1).Decisions).Message);
        Assert.Equal("n2", start.Node);
    }

    [Fact]
    public void A_group_no_other_node_can_take_keeps_running_on_the_node_in_standby_and_the_coordinator_says_why()
    {
        var s = WebOnline(Formed("n1", "n2", "n3"), "n1");
        s = Apply(Apply(Apply(s, Standby("n1")), Standby("n2")), Standby("n3"));

        var plan = Coordinator.Decide(Config, s, OnN1);

        Assert.Empty(plan.Decisions);
        Assert.Contains(plan.Waiting, w => w.Contains("n1 is in standby, but no other node", StringComparison.Ordinal));
    }

    [Fact]
    public void Online_lets_groups_back_and_nothing_moves_back_by_itself()
    {
        var s = Apply(WebOnline(Formed("n1", "n2", "n3"), "n2"), Standby("n1"));
        s = Apply(s, Standby("n1", on: false, at: T0.AddSeconds(1)));

        Assert.False(s.Nodes["n1"].Standby);
        Assert.Empty(Coordinator.Decide(Config, s, OnN1).Decisions);
    }

    [Fact]
    public void A_standby_kept_on_a_disk_comes_back_with_the_probe_when_the_state_is_formed_again_and_an_older_one_does_not_win()
    {
        var kept = NodeIntent.Of(Apply(Formed("n1", "n2", "n3"), Standby("n1", at: T0.AddSeconds(5))));
        Assert.Equal<NodeIntent>([new NodeIntent("n1", true, T0.AddSeconds(5), "operator on n3")], kept);

        // Every palisaded restarted: the state is formed from the configuration, the probes carry what disks kept.
        var s = StateMachine.Apply(Config, ClusterState.Initial(Config), new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        s = Apply(s, new ProbeReport([]) { From = "n2", At = T0, NodeIntents = kept });
        Assert.True(s.Nodes["n1"].Standby);

        var older = new NodeIntent("n1", false, T0, "operator on n2");
        s = Apply(s, new ProbeReport([]) { From = "n3", At = T0, NodeIntents = [older] });
        Assert.True(s.Nodes["n1"].Standby);
        Assert.Equal<NodeIntent>(kept, NodeIntent.Merge(kept, [older]));
    }

    [Fact]
    public void A_standby_preview_moves_the_group_past_another_node_in_standby()
    {
        var s = Apply(WebOnline(Formed("n1", "n2", "n3"), "n1"), Standby("n3"));

        var preview = WhatIf.Of(Config, s, Standby("n1"), OnN1);

        Assert.Equal([("stop", "web", "n1"), ("start", "web", "n2")], preview.Steps.Select(x => (x.Action, x.Group, x.Node)));
        Assert.Contains(preview.Changes, c => c.Contains("node n1: standby requested", StringComparison.Ordinal));
    }
}
