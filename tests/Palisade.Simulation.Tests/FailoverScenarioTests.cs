using Palisade.Core.Messages;
using Palisade.Core.State;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>The owner of a group is lost: it is fenced first, then the group starts on the next node.</summary>
public sealed class FailoverScenarioTests
{
    [Fact]
    public void An_owner_that_loses_power_is_fenced_by_the_new_coordinator_before_the_group_starts_on_n2()
    {
        var world = Booted(ThreeNodesOneGroup());

        world.PowerOff(world.Node("n1"), "test");

        Assert.True(RunUntil(world, 30, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Run(world, 1);
        var fence = Assert.Single(Messages<FenceStarted>(world));
        Assert.Equal(("n2", "n1", "n2"), (fence.From, fence.Target, fence.Executor));
        Assert.Equal("n1 is Unclean (lost: corosync reported the node down)", fence.Reason);
        AssertFencedBeforeStart(world, "n1", "g1", "n2");
        Assert.Equal(NodeState.Fenced, NodeStatus(world, "n1").State);
        Assert.Equal("n2", Held(world).Coordinator!.Name);
        AssertOneState(world, "n2", "n3");
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void An_owner_whose_palisaded_died_is_fenced_while_its_resources_still_run_then_the_group_moves()
    {
        var world = Booted(ThreeNodesOneGroup());

        world.KillDaemon(world.Node("n1"));
        Assert.True(RunUntil(world, 10, () => StateOf(world, "n2")!.Nodes["n1"].State == NodeState.Fencing), Tail(world));

        Assert.Equal("n1 is Unclean (lost: palisaded died while corosync runs)", Assert.Single(Messages<FenceStarted>(world)).Reason);
        Assert.Equal(["n1"], world.Ledger.NodesRunning("g1")); // corosync and the resources live on
        Assert.True(world.Node("n1").CorosyncAlive);

        Assert.True(RunUntil(world, 20, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        Run(world, 1);
        Assert.Equal(["n1"], Messages<FenceStarted>(world).Select(f => f.Target));
        AssertFencedBeforeStart(world, "n1", "g1", "n2");
        Assert.False(world.Node("n1").Powered); // the fence powered it off
        AssertOneState(world, "n2", "n3");
        Assert.Empty(world.Checks.Violations);
    }
}
