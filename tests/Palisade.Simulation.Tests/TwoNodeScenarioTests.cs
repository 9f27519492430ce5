using Palisade.Core.Control;
using Palisade.Core.State;
using Palisade.Simulation.Schedules;
using Palisade.Simulation.World;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>Two-node clusters on real hosts in the simulated world: where both halves of a cut keep quorum.</summary>
public sealed class TwoNodeScenarioTests
{
    [Fact]
    public void When_both_nodes_are_Unclean_the_first_one_still_fences_the_other()
    {
        var world = Booted(SimClusters.Get("two"));
        var n1 = world.Node("n1");
        Assert.Equal(["n2"], world.Ledger.NodesRunning("g2"));

        // n1's palisaded dies (its corosync and g1 keep running): n1 is Unclean. Then g2's monitor fails on n2 and
        // its stop fails: n2 is Unclean too, and no healthy node is left to coordinate.
        world.KillDaemon(n1);
        Run(world, 3);
        FailResources(world, "n2", "g2", AgentAction.Stop);
        FailResources(world, "n2", "g2", AgentAction.Monitor);
        Run(world, 60);

        var state = StateOf(world, "n2")!;
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
        var world = Booted(SimClusters.Get("two"));
        FailKills(world, "n1");
        FailKills(world, "n2");
        world.SplitInterconnect([0, 1]);
        Run(world, 15);

        var answer = Submit(world, "n1", new ControlRequest("group", "stop", "g1"));

        Assert.False(answer.Ok);
        Assert.StartsWith("n2 is ", answer.Error, StringComparison.Ordinal);
        Assert.Contains("and not yet fenced: in a two-node cluster it may still be alive", answer.Error, StringComparison.Ordinal);
        Assert.Contains("'palisade sd --confirm-down n2'", answer.Error, StringComparison.Ordinal);
        Assert.Equal(["n1"], world.Ledger.NodesRunning("g1"));
    }
}
