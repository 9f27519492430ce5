using Palisade.Core.Control;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Simulation.Schedules;
using Palisade.Simulation.World;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>Hand-written failure scenarios on real hosts in the simulated world; every invariant stays on throughout.</summary>
public sealed class ScenarioTests
{
    [Fact]
    public void A_group_moves_once_its_powered_off_node_is_fenced()
    {
        var world = Booted(SimClusters.Get("three"));
        var before = Assert.Single(world.Ledger.NodesRunning("g1"));

        world.PowerOff(world.Node(before), "test");
        Run(world, 40);

        var after = Assert.Single(world.Ledger.NodesRunning("g1"));
        Assert.NotEqual(before, after);
        var state = Held(world);
        Assert.Equal((GroupState.Online, after), (state.Groups["g1"].State, state.Groups["g1"].Node));
        Assert.Contains(state.FenceHistory, r => r.Target == before);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void An_isolated_node_is_fenced_by_the_majority_and_fences_nobody()
    {
        var world = Booted(SimClusters.Get("three"));

        world.SplitInterconnect([0, 0, 1]);
        Run(world, 40);

        Assert.False(world.Node("n3").Powered);
        Assert.True(world.Node("n1").Powered && world.Node("n2").Powered);
        Assert.All(world.Config.Groups, g => Assert.Single(world.Ledger.NodesRunning(g.Name)));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_two_node_cut_ends_with_exactly_one_node_running_everything()
    {
        var world = Booted(SimClusters.Get("two"));

        world.SplitInterconnect([0, 1]);
        Run(world, 40);

        var survivors = world.Nodes.Where(n => n.Powered).ToList();
        var survivor = Assert.Single(survivors);
        Assert.All(world.Config.Groups, g => Assert.Equal([survivor.Name], world.Ledger.NodesRunning(g.Name)));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void An_operator_stop_holds_across_a_restart_of_the_whole_cluster()
    {
        var world = Booted(SimClusters.Get("three"));
        Operator(world, "n2", "stop", "g1");
        Run(world, 10);
        Assert.Empty(world.Ledger.NodesRunning("g1"));

        foreach (var node in world.Nodes)
        {
            world.PowerOff(node, "test");
        }

        foreach (var node in world.Nodes)
        {
            world.PowerOn(node);
        }

        Run(world, 60);

        Assert.Empty(world.Ledger.NodesRunning("g1"));
        Assert.Single(world.Ledger.NodesRunning("g2"));
        Assert.Empty(world.Checks.Violations);
    }
}
