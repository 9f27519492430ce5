using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Simulation.World;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>Starts that fail, operator starts and moves, stops that fail, and a clean leave.</summary>
public sealed class GroupLifecycleScenarioTests
{
    [Fact]
    public void A_start_failing_on_n1_starts_the_group_on_n2()
    {
        var world = AllOff(ThreeNodesOneGroup());
        FailResources(world, "n1", "g1", AgentAction.Start);
        PowerOnAll(world);

        Assert.True(RunUntil(world, 30, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Assert.Equal(["n1", "n2"], Messages<GroupStartOrdered>(world).Select(s => s.Node));
        Assert.Equal("n1", Assert.Single(Messages<GroupStartFailed>(world)).Node);
        Assert.Equal(["n1"], Group(world, "g1").FailedOn);
        Assert.Empty(Messages<FenceStarted>(world));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_start_failing_everywhere_gives_up_until_an_operator_starts_the_group_again()
    {
        var world = FailingEverywhere();
        Run(world, 30);

        var g1 = Group(world, "g1");
        Assert.Equal((GroupState.Failed, null), (g1.State, g1.Node));
        Assert.Equal(["n1", "n2", "n3"], g1.FailedOn);
        Assert.Equal("start failed on every node (n1, n2, n3); run 'palisade group start g1' to retry", g1.Reason);
        Assert.Single(Messages<GroupGaveUp>(world));
        Assert.Equal(["n1", "n2", "n3"], Messages<GroupStartOrdered>(world).Select(s => s.Node));
        Assert.Empty(world.Ledger.NodesRunning("g1"));

        world.Faults.Clear();
        Operator(world, "n3", "start", "g1");
        Assert.True(RunUntil(world, 10, () => IsOnlineOnlyOn(world, "g1", "n1")), Tail(world));
        Assert.Empty(Group(world, "g1").FailedOn);
        Assert.Equal(["n1", "n2", "n3", "n1"], Messages<GroupStartOrdered>(world).Select(s => s.Node));
        Assert.Empty(Messages<FenceStarted>(world));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_move_of_a_group_that_gave_up_starts_it_on_the_target()
    {
        var world = FailingEverywhere();

        world.Faults.Clear();
        Operator(world, "n1", "move", "g1", "n3");

        Assert.True(RunUntil(world, 10, () => IsOnlineOnlyOn(world, "g1", "n3")), Tail(world));
        Assert.Equal("n3", Messages<GroupStartOrdered>(world)[^1].Node);
        Assert.Null(Group(world, "g1").MoveTo);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_move_stops_the_group_on_its_owner_then_starts_it_on_the_target_without_fencing()
    {
        var world = Booted(ThreeNodesOneGroup());

        Operator(world, "n2", "move", "g1", "n3");

        Assert.True(RunUntil(world, 10, () => IsOnlineOnlyOn(world, "g1", "n3")), Tail(world));
        int[] order =
        [
            IndexOf(world, m => m is AdminRequest { Action: AdminAction.Move, To: "n3" }),
            IndexOf(world, m => m is GroupStopOrdered { Node: "n1" }),
            IndexOf(world, m => m is GroupStopped { Node: "n1" }),
            IndexOf(world, m => m is GroupStartOrdered { Node: "n3" }),
            IndexOf(world, m => m is GroupStarted { Node: "n3" }),
        ];
        Assert.True(order[0] >= 0);
        Assert.Equal(order.Order(), order);
        Assert.Empty(Messages<FenceStarted>(world));
        Assert.Null(Group(world, "g1").MoveTo);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_move_whose_target_fails_to_start_settles_back_on_a_working_node_without_flapping()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailResources(world, "n3", "g1", AgentAction.Start);

        Operator(world, "n1", "move", "g1", "n3");
        Run(world, 60);

        Assert.True(IsOnlineOnlyOn(world, "g1", "n1"), Tail(world));
        Assert.Equal(["n1", "n3", "n1"], Messages<GroupStartOrdered>(world).Select(s => s.Node));
        Assert.Single(Messages<GroupStopOrdered>(world));
        Assert.Equal(["n3"], Group(world, "g1").FailedOn);
        Assert.Empty(Messages<FenceStarted>(world));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_stop_failing_during_a_move_makes_the_owner_Unclean_then_fenced_then_the_group_starts_on_the_target()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailResources(world, "n1", "g1", AgentAction.Stop);

        Operator(world, "n1", "move", "g1", "n3");
        Assert.True(RunUntil(world, 10, () => Messages<GroupStopFailed>(world).Count > 0), Tail(world));

        Assert.Contains(NodeStatus(world, "n1").State, new[] { NodeState.Unclean, NodeState.Fencing });
        Assert.Equal(GroupState.Failed, Group(world, "g1").State);
        Assert.Equal(["n1"], world.Ledger.NodesRunning("g1"));

        Assert.True(RunUntil(world, 30, () => IsOnlineOnlyOn(world, "g1", "n3")), Tail(world));
        var fence = Assert.Single(Messages<FenceStarted>(world));
        Assert.Equal(("n2", "n1"), (fence.From, fence.Target));
        Assert.StartsWith("n1 is Unclean (stop of group g1 failed: ", fence.Reason, StringComparison.Ordinal);
        AssertFencedBeforeStart(world, "n1", "g1", "n3");
        Assert.Equal(NodeState.Fenced, NodeStatus(world, "n1").State);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_clean_leave_of_the_owner_moves_the_group_and_leaves_the_node_Offline_without_fencing()
    {
        var world = Booted(ThreeNodesOneGroup());

        world.TerminateDaemon(world.Node("n1"));

        Assert.True(RunUntil(world, 20, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Run(world, 1);
        int[] order =
        [
            IndexOf(world, m => m is NodeLeaving { From: "n1" }),
            IndexOf(world, m => m is GroupStopped { Node: "n1" }),
            IndexOf(world, m => m is GroupStartOrdered { Node: "n2" }),
        ];
        Assert.True(order[0] >= 0);
        Assert.Equal(order.Order(), order);
        Assert.Equal(0, world.Node("n1").Process!.ExitCode);
        var n1 = NodeStatus(world, "n1");
        Assert.Equal((NodeState.Offline, "left the cluster cleanly"), (n1.State, n1.Reason));
        Assert.Empty(Messages<FenceStarted>(world));
        Assert.Equal("n2", Held(world).Coordinator!.Name);
        AssertOneState(world, "n2", "n3");
        Assert.Empty(world.Checks.Violations);
    }

    /// <summary>Three nodes booted while every start of g1 fails: the cluster gives up on it.</summary>
    private static SimWorld FailingEverywhere()
    {
        var world = AllOff(ThreeNodesOneGroup());
        foreach (var node in world.Nodes)
        {
            FailResources(world, node.Name, "g1", AgentAction.Start);
        }

        PowerOnAll(world);
        Assert.True(RunUntil(world, 40, () => world.Nodes.Any(n => StateOf(world, n.Name)?.Groups["g1"].State == GroupState.Failed)), Tail(world));
        return world;
    }
}
