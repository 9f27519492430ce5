using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Simulation.Schedules;
using Palisade.Simulation.World;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>Nodes joining a running cluster: who sends the snapshot, and what happens when the sender dies first.</summary>
public sealed class JoinScenarioTests
{
    [Fact]
    public void A_node_absent_when_the_cluster_formed_is_fenced_then_joins_with_a_snapshot_and_the_same_state()
    {
        var world = FormedWithoutN3();
        Assert.Equal("join window ended without n3", Assert.Single(Messages<ClusterSettled>(world)).Reason);
        var startupFence = Assert.Single(Messages<FenceStarted>(world));
        Assert.Equal(("n1", "n3", "n3 is Unclean (not seen since the cluster formed: it may still run resources)"),
            (startupFence.From, startupFence.Target, startupFence.Reason));

        Boot(world, "n3");
        Assert.True(RunUntil(world, 20, () => StateOf(world, "n3")?.Members.Count == 3 && NodeStatus(world, "n3") is { State: NodeState.Online, Probed: true }), Tail(world));
        Run(world, 1);

        var snapshot = Messages<StateSnapshot>(world)[^1];
        Assert.Equal("n1", snapshot.From);
        Assert.Equal([3u], snapshot.For.ToArray());
        AssertOneState(world);
        Assert.Equal([1u, 2u, 3u], StateOf(world, "n3")!.Synced);
        Assert.True(IsOnlineOnlyOn(world, "g1", "n1"));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void Nodes_starting_together_next_to_a_running_majority_share_one_snapshot()
    {
        var world = AllOff(SimClusters.Custom([1, 1, 1, 1, 1], ["n1", "n2", "n3", "n4", "n5"]));
        foreach (var node in world.Nodes)
        {
            world.PowerOn(node, startDaemon: node.Id <= 3);
        }

        Assert.True(RunUntil(world, 20, () => world.Nodes.Take(3).All(n => StateOf(world, n.Name) is not null && n.Quorate)), Tail(world));
        Assert.Empty(Messages<StateSnapshot>(world));

        world.StartDaemon(world.Node("n4"));
        world.StartDaemon(world.Node("n5"));
        Assert.True(RunUntil(world, 5, () => StateOf(world, "n4") is not null && StateOf(world, "n5") is not null), Tail(world));

        var snapshot = Assert.Single(Messages<StateSnapshot>(world));
        Assert.Equal("n1", snapshot.From);
        Assert.Equal([4u, 5u], snapshot.For.ToArray());
        Run(world, 1);
        AssertOneState(world);
        Assert.True(RunUntil(world, 10, () => IsOnlineOnlyOn(world, "g1", "n1")), Tail(world));
        Assert.Equal("all 5 nodes joined", Assert.Single(Messages<ClusterSettled>(world)).Reason);
        Assert.Empty(Messages<FenceStarted>(world));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_joiner_bootstraps_when_the_only_holder_dies_before_its_snapshot_and_later_serves_snapshots_itself()
    {
        // Two nodes: a node alone holding a settled state is a quorate side, so it sends a snapshot rather than drop its state.
        var world = Booted(TwoNodesOneGroup());
        world.PowerOff(world.Node("n2"), "test");
        Assert.True(RunUntil(world, 30, () => NodeStatus(world, "n2").State == NodeState.Fenced), Tail(world));

        Boot(world, "n2");
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n1")?.Members.Contains(2u) == true), Tail(world));
        world.PowerOff(world.Node("n1"), "test"); // the snapshot for n2 is still on its way
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n2") is not null), Tail(world));

        Assert.Empty(Messages<StateSnapshot>(world));
        Assert.Equal([2u], StateOf(world, "n2")!.Members);
        Assert.Equal([2u], StateOf(world, "n2")!.Synced);

        // Once settled alone (the join window ended without n1), n2 holds the state n1 must take.
        Assert.True(RunUntil(world, 60, () => StateOf(world, "n2")?.Settled == true && IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Boot(world, "n1");
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n1")?.Members.Contains(2u) == true), Tail(world));

        var snapshot = Assert.Single(Messages<StateSnapshot>(world));
        Assert.Equal("n2", snapshot.From);
        Assert.Equal([1u], snapshot.For.ToArray());
        Run(world, 5);
        AssertOneState(world);
        Assert.True(IsOnlineOnlyOn(world, "g1", "n2"), Tail(world));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_two_node_cluster_node_that_formed_alone_takes_the_settled_nodes_state_when_they_meet()
    {
        var world = Booted(TwoNodesOneGroup());

        // n2 is powered off and boots apart from n1: it forms a cluster of its own, unsettled, before they meet.
        world.PowerOff(world.Node("n2"), "test");
        Run(world, 5);
        world.SplitInterconnect([0, 1]);
        world.PowerOn(world.Node("n2"));
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n2") is not null), Tail(world));
        Run(world, 1);
        Assert.False(StateOf(world, "n2")!.Settled);
        Assert.False(world.Node("n2").Quorate); // wait_for_all: it never saw n1 since it booted

        world.SplitInterconnect([0, 0]);
        Assert.True(RunUntil(world, 10, () => Messages<StateSnapshot>(world).Any(s => s.From == "n1" && s.For.Contains(2u))), Tail(world));
        Assert.True(RunUntil(world, 20, () => NodeStatus(world, "n2") is { State: NodeState.Online, Probed: true }), Tail(world));
        Run(world, 1);
        AssertOneState(world);
        Assert.True(IsOnlineOnlyOn(world, "g1", "n1"));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_joiner_gets_its_snapshot_from_the_next_holder_when_the_sender_dies_before_sending()
    {
        var world = FormedWithoutN3();

        Boot(world, "n3");
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n1")?.Members.Contains(3u) == true), Tail(world));
        world.PowerOff(world.Node("n1"), "test"); // the snapshot for n3 is still on its way
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n3") is not null), Tail(world));

        var snapshot = Assert.Single(Messages<StateSnapshot>(world));
        Assert.Equal("n2", snapshot.From);
        Assert.Equal([3u], snapshot.For.ToArray());
        Run(world, 1);
        AssertOneState(world, "n2", "n3");

        Assert.True(RunUntil(world, 20, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Assert.Equal(NodeState.Fenced, NodeStatus(world, "n1").State);
        Run(world, 1);
        AssertOneState(world, "n2", "n3");
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void Two_lone_nodes_without_quorum_that_meet_both_start_from_the_configuration_at_the_same_message()
    {
        var world = AllOff(WithoutWaitForAll(ThreeNodesOneGroup()));
        world.SplitInterconnect([0, 1, 2]);
        world.PowerOn(world.Node("n1"));
        world.PowerOn(world.Node("n2"));
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n1") is not null && StateOf(world, "n2") is not null), Tail(world));
        Assert.False(world.Node("n1").Quorate || world.Node("n2").Quorate);

        world.SplitInterconnect([0, 0, 0]);
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n1")?.Members.Count == 2 && StateOf(world, "n2")?.Members.Count == 2), Tail(world));
        Run(world, 1);

        Assert.Empty(Messages<StateSnapshot>(world));
        Assert.Equal([1u, 2u], Messages<NoState>(world).Select(n => n.NodeId).Order());
        AssertOneState(world, "n1", "n2");
        Assert.Equal([1u, 2u], StateOf(world, "n2")!.Synced);
        Assert.Empty(world.Checks.Violations);
    }

    /// <summary>
    /// Three nodes without wait_for_all: n1 and n2 boot, settle when the join window ends without n3, fence n3 (which
    /// is off) and start g1 on n1.
    /// </summary>
    private static SimWorld FormedWithoutN3()
    {
        var world = AllOff(WithoutWaitForAll(ThreeNodesOneGroup()));
        world.PowerOn(world.Node("n1"));
        world.PowerOn(world.Node("n2"));
        Assert.True(RunUntil(world, 60, () => IsOnlineOnlyOn(world, "g1", "n1") && NodeStatus(world, "n3").State == NodeState.Fenced), Tail(world));
        Run(world, 1);
        return world;
    }
}
