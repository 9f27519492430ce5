using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Palisade.Simulation.World;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>Fencing that fails: the node stays Unclean, nothing it may run starts elsewhere, attempts back off.</summary>
public sealed class FencingScenarioTests
{
    /// <summary>A planning round runs at least this often (the host's tick), plus delivery on the simulated ring.</summary>
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(300);

    [Fact]
    public void Failed_fencing_keeps_the_node_Unclean_and_is_retried_only_after_the_backoff()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n1");

        world.PowerOff(world.Node("n1"), "test");
        Assert.True(RunUntil(world, 30, () => FailedFences(world) == 2), Tail(world));

        var n1 = NodeStatus(world, "n1");
        Assert.Equal((NodeState.Unclean, 2), (n1.State, n1.FenceFailures));
        Assert.Equal((GroupState.Online, "n1"), (Group(world, "g1").State, Group(world, "g1").Node));
        Assert.Single(Messages<GroupStartOrdered>(world));
        Assert.Empty(world.Ledger.NodesRunning("g1"));

        world.Faults.Clear();
        Assert.True(RunUntil(world, 30, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));
        AssertBackoff(world);
        Assert.Equal([false, false, true], Messages<FenceCompleted>(world).Select(f => f.Success));
        AssertFencedBeforeStart(world, "n1", "g1", "n2");
        Run(world, 1);
        AssertOneState(world, "n2", "n3");
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void Fencing_that_never_works_leaves_the_group_where_it_was_and_backs_off_to_the_maximum()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n1");

        world.KillDaemon(world.Node("n1"));
        Run(world, 180);

        // Each retry waits 1, 2, 4, 8, 16 s, then 30 s, after the previous attempt failed (which takes up to 3 s):
        // the tenth attempt begins within 151 + 27 s, an eleventh could not before 181 s.
        Assert.Equal(10, Messages<FenceStarted>(world).Count);
        AssertBackoff(world);
        Assert.Equal(["n1"], world.Ledger.NodesRunning("g1"));
        Assert.Single(Messages<GroupStartOrdered>(world));
        Assert.True(RunUntil(world, 40, () => NodeStatus(world, "n1").State == NodeState.Unclean));
        Assert.Contains("group g1: waiting for n1 (Unclean) to be fenced", Status(world, "n2").Waiting);
        Assert.Empty(world.Checks.Violations);
    }

    private static int FailedFences(SimWorld world) => Messages<FenceCompleted>(world).Count(f => !f.Success);

    /// <summary>Attempt k+1 begins no sooner than backoff(k) after attempt k failed, and within a planning round of it.</summary>
    private static void AssertBackoff(SimWorld world)
    {
        var started = Messages<FenceStarted>(world);
        var failed = Messages<FenceCompleted>(world).Where(f => !f.Success).ToList();
        Assert.True(failed.Count >= started.Count - 1, $"{started.Count} attempts, {failed.Count} failures");
        for (var k = 1; k < started.Count; k++)
        {
            var earliest = failed[k - 1].At + TimeSpan.FromSeconds(Math.Min(Coordinator.MaxFenceBackoff.TotalSeconds, Math.Pow(2, k - 1)));
            Assert.InRange(started[k].At, earliest, earliest + Tick);
        }
    }
}
