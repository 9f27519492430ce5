using Palisade.Core.Messages;
using Palisade.Core.State;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>Interconnect cuts: the quorate side fences the others; a side without quorum stops its groups and decides nothing.</summary>
public sealed class PartitionScenarioTests
{
    [Fact]
    public void A_minority_owner_stops_its_group_and_never_fences_while_the_majority_fences_it_and_takes_over()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n1"); // a slow BMC: n1 has the time to finish stopping before it is off

        world.SplitInterconnect([1, 0, 0]);
        Assert.True(RunUntil(world, 15, () => Messages<GroupStopped>(world).Count > 0), Tail(world));
        var stopped = Assert.Single(world.Delivered, d => d.Message is GroupStopped);
        Assert.Equal(("n1", "stopped on n1: this node lost quorum"), (stopped.From, ((GroupStopped)stopped.Message).Reason));
        Assert.Equal(["n1"], stopped.To.ToArray()); // its report stays on its side
        Assert.Empty(world.Ledger.NodesRunning("g1"));
        Assert.Equal((GroupState.Online, "n1"), (StateOf(world, "n2")!.Groups["g1"].State, StateOf(world, "n2")!.Groups["g1"].Node));

        world.Faults.Clear();
        Assert.True(RunUntil(world, 30, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Assert.False(world.Node("n1").Powered); // fenced: powered off
        Assert.All(Messages<FenceStarted>(world), f => Assert.Equal(("n2", "n1"), (f.From, f.Target)));
        Assert.Equal(NodeState.Fenced, NodeStatus(world, "n1").State);
        AssertFencedBeforeStart(world, "n1", "g1", "n2");

        world.SplitInterconnect([0, 0, 0]);
        world.PowerOn(world.Node("n1"));
        Assert.True(RunUntil(world, 20, () => StateOf(world, "n1")?.Members.Count == 3 && NodeStatus(world, "n1") is { State: NodeState.Online, Probed: true }), Tail(world));
        Run(world, 1);

        Assert.Equal([1u], Messages<StateSnapshot>(world)[^1].For.ToArray());
        Assert.True(IsOnlineOnlyOn(world, "g1", "n2"));
        AssertOneState(world);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_minority_merging_back_before_it_was_fenced_adopts_the_majority_state_and_is_still_fenced()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n1");

        world.SplitInterconnect([1, 0, 0]);
        Run(world, 8);
        Assert.Equal(GroupState.Offline, StateOf(world, "n1")!.Groups["g1"].State); // the minority's own view
        Assert.Equal((GroupState.Online, "n1"), (StateOf(world, "n2")!.Groups["g1"].State, StateOf(world, "n2")!.Groups["g1"].Node));
        Assert.Empty(world.Ledger.NodesRunning("g1"));

        world.SplitInterconnect([0, 0, 0]);
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n1")?.Members.Count == 3), Tail(world));
        Assert.Contains(NodeStatus(world, "n1").State, new[] { NodeState.Unclean, NodeState.Fencing });
        AssertOneState(world);

        world.Faults.Clear();
        Assert.True(RunUntil(world, 60, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Assert.DoesNotContain(Messages<FenceStarted>(world), f => f.From == "n1");
        Assert.False(world.Node("n1").Powered);
        AssertFencedBeforeStart(world, "n1", "g1", "n2");
        Run(world, 1);
        AssertOneState(world, "n2", "n3");
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_non_owner_cut_off_is_fenced_and_the_group_stays_where_it_is()
    {
        var world = Booted(ThreeNodesOneGroup());

        world.SplitInterconnect([0, 0, 1]);
        Run(world, 10);

        var fence = Assert.Single(Messages<FenceStarted>(world));
        Assert.Equal(("n1", "n3"), (fence.From, fence.Target));
        Assert.Equal(NodeState.Fenced, NodeStatus(world, "n3").State);
        Assert.True(IsOnlineOnlyOn(world, "g1", "n1"));
        Assert.Single(Messages<GroupStartOrdered>(world));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void Every_side_without_quorum_stops_its_groups_and_does_nothing_else()
    {
        var world = Booted(ThreeNodesOneGroup());
        var before = world.Delivered.Count;

        world.SplitInterconnect([0, 1, 2]);
        Run(world, 60);

        Assert.All(world.Nodes, n => Assert.False(n.Quorate, n.Name));
        Assert.Empty(world.Ledger.NodesRunning("g1"));
        Assert.Empty(Messages<FenceStarted>(world));
        var sent = world.Delivered.Skip(before).Select(d => d.Message).ToList();
        Assert.Contains(sent, m => m is GroupStopped { Node: "n1" });
        Assert.All(sent, m => Assert.True(m is GroupStopped or StateDigest, m.GetType().Name));
        Assert.All(world.Nodes, n => Assert.NotNull(StateOf(world, n.Name)));
        Assert.Empty(world.Checks.Violations);
    }
}
