using Palisade.Core.Messages;
using Palisade.Core.State;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>A cluster forming: nodes powering on together or one after another.</summary>
public sealed class BootScenarioTests
{
    [Fact]
    public void Three_nodes_booting_together_settle_and_start_the_group_on_the_first_node_of_its_list()
    {
        var world = AllOff(ThreeNodesOneGroup());
        PowerOnAll(world);

        Assert.True(RunUntil(world, 30, () => IsOnlineOnlyOn(world, "g1", "n1")), Tail(world));
        Run(world, 1);

        AssertOneState(world);
        Assert.Equal("all 3 nodes joined", Assert.Single(Messages<ClusterSettled>(world)).Reason);
        Assert.Equal(("g1", "n1"), Assert.Single(Messages<GroupStartOrdered>(world).Select(s => (s.Group, s.Node))));
        Assert.All(world.Nodes, n => Assert.Equal(NodeState.Online, NodeStatus(world, n.Name).State));
        Assert.Equal("n1", Held(world).Coordinator!.Name);
        Assert.Empty(Messages<FenceStarted>(world));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void Three_nodes_booting_one_by_one_reach_one_state_and_start_the_group_once_all_joined()
    {
        var world = AllOff(WithoutWaitForAll(ThreeNodesOneGroup()));
        world.PowerOn(world.Node("n1"));
        Run(world, 5);
        Assert.False(world.Node("n1").Quorate);
        Assert.Empty(Messages<ClusterSettled>(world));

        world.PowerOn(world.Node("n2"));
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n2") is not null && world.Node("n2").Quorate), Tail(world));
        Run(world, 2);
        Assert.Empty(Messages<ClusterSettled>(world)); // still waiting for n3 inside the join window
        Assert.Empty(Messages<GroupStartOrdered>(world));

        world.PowerOn(world.Node("n3"));
        Assert.True(RunUntil(world, 20, () => IsOnlineOnlyOn(world, "g1", "n1")), Tail(world));
        Run(world, 1);

        AssertOneState(world);
        // n1 alone had no quorum, so it dropped its state when n2 joined and both started from the configuration;
        // the quorate pair then sent n3 a snapshot.
        Assert.Equal([1u, 2u], Messages<NoState>(world).Take(2).Select(n => n.NodeId));
        Assert.Equal([[3u]], Messages<StateSnapshot>(world).Select(s => s.For.ToArray()));
        Assert.Equal("all 3 nodes joined", Assert.Single(Messages<ClusterSettled>(world)).Reason);
        Assert.Single(Messages<GroupStartOrdered>(world));
        Assert.Empty(world.Checks.Violations);
    }
}
