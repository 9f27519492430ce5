using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Simulation.Schedules;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>
/// Schedules that once ran a group twice or undid an operator's stop: operator intents outlive every palisaded, a
/// node back alone starts nothing before the nodes it never saw are fenced, and two two-node halves merge into one state.
/// </summary>
public sealed class SafetyScenarioTests
{
    [Fact]
    public void A_group_stopped_by_hand_stays_stopped_after_every_palisaded_restarts()
    {
        var world = Booted(ThreeNodesOneGroup());
        Operator(world, "n2", "stop", "g1");
        Assert.True(RunUntil(world, 10, () => Group(world, "g1").State == GroupState.Offline && world.Ledger.NodesRunning("g1").Count == 0), Tail(world));

        foreach (var node in world.Nodes)
        {
            world.KillDaemon(node);
        }

        foreach (var node in world.Nodes)
        {
            world.StartDaemon(node);
        }

        Assert.True(RunUntil(world, 60, () => world.Nodes.All(n => StateOf(world, n.Name)?.Nodes.Values.All(x => x.Probed) == true)), Tail(world));
        Run(world, 30);

        var g1 = Group(world, "g1");
        Assert.Equal((GroupTarget.Stopped, GroupState.Offline), (g1.Target, g1.State));
        Assert.StartsWith("operator", g1.TargetBy, StringComparison.Ordinal);
        Assert.Empty(world.Ledger.NodesRunning("g1"));
        Assert.Empty(world.Checks.Violations);
    }

    /// <summary>
    /// The palisaded of the owner and of a third node die (their corosync and the owner's service live on, their BMCs do
    /// not answer), then the last palisaded's node is power-cycled and comes back alone. When its join window ends it
    /// must not start the group before the nodes it never saw are fenced.
    /// </summary>
    [Fact]
    public void A_node_that_comes_back_alone_starts_nothing_before_the_nodes_it_never_saw_are_fenced()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n1");
        FailKills(world, "n3");
        world.KillDaemon(world.Node("n3"));
        Run(world, 5);
        world.KillDaemon(world.Node("n1"));
        Run(world, 5);
        Assert.Equal(["n1"], world.Ledger.NodesRunning("g1"));

        world.PowerOff(world.Node("n2"), "test");
        world.PowerOn(world.Node("n2"));
        Run(world, 60); // the join window ends; n1 and n3 are Unclean and cannot be fenced

        Assert.Empty(world.Checks.Violations);
        Assert.Equal(["n1"], world.Ledger.NodesRunning("g1"));
        Assert.DoesNotContain(Messages<GroupStartOrdered>(world), s => s.Node == "n2");
        Assert.Contains(Status(world, "n2").Waiting, w => w.StartsWith("group g1: waiting for n1, n3 to be fenced or to report", StringComparison.Ordinal));

        world.Faults.Clear(); // the BMCs answer again: both are powered off, and n2 alone has no quorum
        Assert.True(RunUntil(world, 60, () => StateOf(world, "n2")?.Nodes is { } nodes
            && nodes["n1"].State == NodeState.Fenced && nodes["n3"].State == NodeState.Fenced), Tail(world));
        Assert.False(world.Node("n1").Powered || world.Node("n3").Powered);
        world.PowerOn(world.Node("n3"));
        Assert.True(RunUntil(world, 60, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_group_waits_while_any_of_its_nodes_is_Unclean_even_when_it_ran_elsewhere()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n3");
        world.KillDaemon(world.Node("n3"));
        Run(world, 5);
        Operator(world, "n1", "stop", "g1");
        Run(world, 5);
        Operator(world, "n1", "start", "g1");
        Run(world, 20);

        Assert.Equal(GroupState.Offline, Group(world, "g1").State);
        Assert.Empty(world.Ledger.NodesRunning("g1"));
        Assert.Contains(Status(world, "n1").Waiting, w => w.StartsWith("group g1: waiting for n3 to be fenced or to report", StringComparison.Ordinal));

        world.Faults.Clear();
        Assert.True(RunUntil(world, 60, () => IsOnlineOnlyOn(world, "g1", "n1")), Tail(world));
        Assert.Empty(world.Checks.Violations);
    }

    /// <summary>
    /// Both halves of a two-node cluster keep quorum on a cut; when neither can fence the other, both keep a state.
    /// When they merge again, the side of the lowest node id keeps its state and the other takes it and probes again.
    /// </summary>
    [Fact]
    public void After_a_two_node_cut_neither_side_could_fence_the_two_states_become_one()
    {
        var world = Booted(SimClusters.Get("two")); // g1 on n1, g2 on n2
        FailKills(world, "n1");
        FailKills(world, "n2");

        world.SplitInterconnect([0, 1]);
        Run(world, 20);
        Assert.True(world.Node("n1").Quorate && world.Node("n2").Quorate);
        Assert.NotEqual(StateHasher.Hash(StateOf(world, "n1")!), StateHasher.Hash(StateOf(world, "n2")!));

        var healed = world.Delivered.Count;
        world.SplitInterconnect([0, 0]);
        Run(world, 5);

        AssertOneState(world);
        Assert.Empty(world.Checks.Violations);
        Assert.Contains(world.Delivered.Skip(healed), d => d.Message is ProbeReport && d.From == "n2");
        Assert.Equal(["n1"], world.Ledger.NodesRunning("g1"));
        Assert.Equal(["n2"], world.Ledger.NodesRunning("g2"));

        // n1's state won: n2 was lost to it and must be fenced once its BMC answers; g2 then moves to n1.
        world.Faults.Clear();
        Assert.True(RunUntil(world, 60, () => IsOnlineOnlyOn(world, "g2", "n1")), Tail(world));
        Assert.False(world.Node("n2").Powered);
        Assert.Empty(world.Checks.Violations);
    }
}
