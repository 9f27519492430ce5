using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class GroupLifecycleTests
{
    [Fact]
    public void Start_failing_on_n1_starts_the_group_on_n2()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Faults.FailStart("web", "n1");
        sim.BootTogether("n1", "n2", "n3");

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(10)), sim.RecentTrace());
        Assert.Equal(["n1", "n2"], sim.Delivered<GroupStartOrdered>().Select(s => s.Node));
        Assert.Equal("n1", Assert.Single(sim.Delivered<GroupStartFailed>()).Node);
        Assert.Equal(["n1"], sim.Group("web").FailedOn);
        Assert.Empty(sim.FenceAttempts);
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Start_failing_everywhere_gives_up_until_an_operator_starts_the_group_again()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            sim.Faults.FailStart("web", node);
        }

        sim.BootTogether("n1", "n2", "n3");
        Assert.True(sim.RunUntil(() => sim.Group("web").State == GroupState.Failed, TimeSpan.FromSeconds(10)), sim.RecentTrace());
        sim.RunFor(TimeSpan.FromSeconds(30));

        var web = sim.Group("web");
        Assert.Equal((GroupState.Failed, null), (web.State, web.Node));
        Assert.Equal(["n1", "n2", "n3"], web.FailedOn);
        Assert.Equal("start failed on every node (n1, n2, n3); run 'palisade group start web' to retry", web.Reason);
        Assert.Single(sim.Delivered<GroupGaveUp>());
        Assert.Equal(["n1", "n2", "n3"], sim.Delivered<GroupStartOrdered>().Select(s => s.Node));
        Assert.Empty(sim.World.NodesRunning("web"));

        sim.Faults.Clear();
        Assert.True(sim.Request("n3", "web", AdminAction.Start));
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), TimeSpan.FromSeconds(10)), sim.RecentTrace());
        Assert.Empty(sim.Group("web").FailedOn);
        Assert.Equal(["n1", "n2", "n3", "n1"], sim.Delivered<GroupStartOrdered>().Select(s => s.Node));
        Assert.Empty(sim.FenceAttempts);
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Move_of_a_group_that_gave_up_starts_it_on_the_target()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            sim.Faults.FailStart("web", node);
        }

        sim.BootTogether("n1", "n2", "n3");
        Assert.True(sim.RunUntil(() => sim.Group("web").State == GroupState.Failed, TimeSpan.FromSeconds(10)), sim.RecentTrace());

        sim.Faults.Clear();
        Assert.True(sim.Request("n1", "web", AdminAction.Move, "n3"));
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n3"), TimeSpan.FromSeconds(10)), sim.RecentTrace());
        Assert.Equal("n3", sim.Delivered<GroupStartOrdered>().Last().Node);
        Assert.Null(sim.Group("web").MoveTo);
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Move_stops_on_the_owner_then_starts_on_the_target_without_fencing()
    {
        var sim = SimScenarios.RunningOnN1();
        Assert.True(sim.Request("n2", "web", AdminAction.Move, "n3"));

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n3"), TimeSpan.FromSeconds(10)), sim.RecentTrace());
        int[] order =
        [
            sim.IndexOf(m => m is AdminRequest),
            sim.IndexOf(m => m is GroupStopOrdered { Node: "n1" }),
            sim.IndexOf(m => m is GroupStopped { Node: "n1" }),
            sim.IndexOf(m => m is GroupStartOrdered { Node: "n3" }),
            sim.IndexOf(m => m is GroupStarted { Node: "n3" }),
        ];
        Assert.True(order[0] >= 0);
        Assert.Equal(order.Order(), order);
        Assert.Empty(sim.FenceAttempts);
        Assert.Null(sim.Group("web").MoveTo);
        Assert.Equal(1, sim.World.MaxConcurrent);
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Move_whose_target_fails_to_start_settles_back_on_a_working_node_without_flapping()
    {
        var sim = SimScenarios.RunningOnN1();
        sim.Faults.FailStart("web", "n3");
        Assert.True(sim.Request("n1", "web", AdminAction.Move, "n3"));
        sim.RunFor(TimeSpan.FromSeconds(60));

        Assert.True(sim.IsOnlineOnlyOn("web", "n1"), sim.RecentTrace());
        Assert.Equal(["n1", "n3", "n1"], sim.Delivered<GroupStartOrdered>().Select(s => s.Node));
        Assert.Single(sim.Delivered<GroupStopOrdered>());
        Assert.Equal(["n3"], sim.Group("web").FailedOn);
        Assert.Empty(sim.FenceAttempts);
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Stop_failing_during_a_move_makes_the_owner_Unclean_then_fenced_then_the_group_starts_on_the_target()
    {
        var sim = SimScenarios.RunningOnN1();
        sim.Faults.FailStop("web", "n1");
        Assert.True(sim.Request("n1", "web", AdminAction.Move, "n3"));
        sim.RunFor(TimeSpan.FromSeconds(1));

        Assert.Equal(NodeState.Fencing, sim.NodeStatus("n1").State);
        Assert.Equal(GroupState.Failed, sim.Group("web").State);
        Assert.Equal(["n1"], sim.World.NodesRunning("web"));

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n3"), TimeSpan.FromSeconds(20)), sim.RecentTrace());
        Assert.Equal([("n2", "n1")], sim.FenceAttempts.Select(f => (f.From, f.Target)));
        Assert.Equal("n1 is Unclean (stop of group web failed: app: stop failed (simulated))", sim.Delivered<FenceStarted>().Single().Reason);
        FailoverTests.AssertFencedBeforeRestart(sim, "n1", "n3");
        Assert.Equal(NodeState.Fenced, sim.NodeStatus("n1").State);
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Clean_leave_of_the_owner_moves_the_group_and_leaves_the_node_Offline_without_fencing()
    {
        var sim = SimScenarios.RunningOnN1();
        sim.Leave("n1");

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(10)), sim.RecentTrace());
        int[] order =
        [
            sim.IndexOf(m => m is NodeLeaving { From: "n1" }),
            sim.IndexOf(m => m is GroupStopped { Node: "n1" }),
            sim.IndexOf(m => m is MembershipChanged c && c.Left.Contains(new MemberLeft(1, LeaveReason.Leave))),
            sim.IndexOf(m => m is GroupStartOrdered { Node: "n2" }),
        ];
        Assert.True(order[0] >= 0);
        Assert.Equal(order.Order(), order);
        var n1 = sim.NodeStatus("n1");
        Assert.Equal((NodeState.Offline, "left the cluster cleanly"), (n1.State, n1.Reason));
        Assert.Empty(sim.FenceAttempts);
        Assert.Equal("n2", sim["n2"].State!.Coordinator!.Name);
        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
    }
}
