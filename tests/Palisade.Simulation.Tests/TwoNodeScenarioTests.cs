using Palisade.Core.Control;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Simulation.Schedules;
using Palisade.Simulation.World;
using Xunit;

namespace Palisade.Simulation.Tests;

/// <summary>Two-node clusters on real hosts in the simulated world: where both halves of a cut keep quorum.</summary>
public sealed class TwoNodeScenarioTests
{
    [Fact]
    public void When_both_nodes_are_Unclean_the_first_one_still_fences_the_other()
    {
        var world = Booted();
        var n1 = world.Node("n1");
        var n2 = world.Node("n2");
        Assert.Equal(["n2"], world.Ledger.NodesRunning("g2"));

        // n1's palisaded dies (its corosync and g1 keep running): n1 is Unclean. Then g2 crashes on n2 and its stop
        // fails: n2 is Unclean too, and no healthy node is left to coordinate.
        world.KillDaemon(n1);
        Run(world, 3);
        world.Faults.Set("n2", "g2", AgentAction.Stop, AgentFault.Fail);
        world.Faults.Set("n2", "g2", AgentAction.Monitor, AgentFault.Fail);
        Run(world, 60);

        var state = n2.Process!.Host!.Replica.State!;
        Assert.Equal(NodeState.Unclean, state.Nodes["n2"].State);
        Assert.False(n1.Powered);
        Assert.Contains(state.FenceHistory, r => r.Target == "n1" && r.By == "n2");
        Assert.Equal("n2", state.Coordinator?.Name);
        Assert.True(state.CoordinatesFencingOnly);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_group_command_is_refused_while_the_other_node_is_lost_and_not_yet_fenced()
    {
        var world = Booted();
        world.Faults.Set("n1", "n2", AgentAction.Kill, AgentFault.Fail);
        world.Faults.Set("n2", "n1", AgentAction.Kill, AgentFault.Fail);
        world.SplitInterconnect([0, 1]);
        Run(world, 15);

        ControlResponse? answer = null;
        world.Node("n1").Process!.Submit(new ControlRequest("group", "stop", "g1"), r => answer = r);
        Run(world, 1);

        Assert.False(answer?.Ok);
        Assert.StartsWith("n2 is ", answer!.Error, StringComparison.Ordinal);
        Assert.Contains("and not yet fenced: in a two-node cluster it may still be alive", answer.Error, StringComparison.Ordinal);
        Assert.Contains("'palisade sd --confirm-down n2'", answer.Error, StringComparison.Ordinal);
        Assert.Equal(["n1"], world.Ledger.NodesRunning("g1"));
    }

    private static SimWorld Booted()
    {
        var world = new SimWorld(SimClusters.Get("two"), 23, keepTrace: false);
        foreach (var node in world.Nodes)
        {
            world.PowerOn(node);
        }

        Run(world, 20);
        Assert.All(world.Config.Groups, g => Assert.Single(world.Ledger.NodesRunning(g.Name)));
        return world;
    }

    private static void Run(SimWorld world, int seconds) => world.Scheduler.RunUntil(world.Now + TimeSpan.FromSeconds(seconds));
}
