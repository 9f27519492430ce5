using Palisade.Simulation.Schedules;
using Palisade.Simulation.World;
using Xunit;

namespace Palisade.Simulation.Tests;

/// <summary>The simulated votequorum gives the quorum corosync would, for the configurations the generator writes.</summary>
public sealed class VotequorumTests
{
    [Fact]
    public void Two_node_keeps_both_halves_quorate_on_a_cut()
    {
        var world = Booted("two");

        Split(world, [0, 1]);

        Assert.All(world.Nodes, n => Assert.True(n.Quorate, $"{n.Name} lost quorum"));
    }

    [Fact]
    public void Two_node_waits_for_all_after_a_restart()
    {
        var world = Booted("two");
        world.PowerOff(world.Node("n2"), "test");
        world.Scheduler.RunUntil(world.Now + TimeSpan.FromSeconds(5));

        world.SplitInterconnect([0, 1]);
        world.PowerOn(world.Node("n2"));
        world.Scheduler.RunUntil(world.Now + TimeSpan.FromSeconds(10));

        Assert.True(world.Node("n1").Quorate);
        Assert.True(world.Node("n2").CorosyncAlive);
        Assert.False(world.Node("n2").Quorate);
    }

    [Fact]
    public void Three_nodes_isolate_one_without_quorum()
    {
        var world = Booted("three");

        Split(world, [0, 0, 1]);

        Assert.Equal([true, true, false], world.Nodes.Select(n => n.Quorate));
    }

    [Fact]
    public void Weighted_votes_decide_a_five_node_split()
    {
        var world = Booted("five-weighted"); // weights 2,1,2,1,2: 8 votes, quorum 5

        Split(world, [0, 1, 0, 0, 1]); // n1+n3+n4 = 5 votes, n2+n5 = 3

        Assert.Equal([true, false, true, true, false], world.Nodes.Select(n => n.Quorate));
    }

    [Fact]
    public void An_exact_half_keeps_quorum_where_the_tie_breaker_node_is()
    {
        var world = Booted("five-weighted");

        Split(world, [1, 0, 1, 0, 0]); // n1+n3 = 4 votes, n2+n4+n5 = 4: auto_tie_breaker, n1 listed first

        Assert.Equal([true, false, true, false, false], world.Nodes.Select(n => n.Quorate));
    }

    private static SimWorld Booted(string cluster)
    {
        var world = new SimWorld(SimClusters.Get(cluster), 3, keepTrace: false);
        foreach (var node in world.Nodes)
        {
            world.PowerOn(node);
        }

        world.Scheduler.RunUntil(SimWorld.Epoch + TimeSpan.FromSeconds(15));
        Assert.All(world.Nodes, n => Assert.True(n.Quorate, $"{n.Name} is not quorate after boot"));
        return world;
    }

    private static void Split(SimWorld world, int[] sides)
    {
        // Look once corosync has noticed, before any fencing changes the picture.
        world.SplitInterconnect(sides);
        world.Scheduler.RunUntil(world.Now + world.Corosync.DetectDelay + TimeSpan.FromMilliseconds(100));
    }
}
