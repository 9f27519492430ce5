using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class FencingTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void Failed_fencing_keeps_the_node_Unclean_and_is_retried_only_after_the_backoff()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });
        sim.Faults.FailFence("n1", times: 2);
        var t0 = sim.Now;

        sim.Kill("n1");
        sim.RunFor(Quick);

        // First attempt at once, failed: Unclean, one failure, nothing started anywhere.
        Assert.Equal([t0], sim.FenceAttempts.Select(f => f.At));
        var n1 = sim.NodeStatus("n1");
        Assert.Equal((NodeState.Unclean, 1), (n1.State, n1.FenceFailures));
        Assert.Single(sim.Delivered<GroupStartOrdered>());

        // Backoff after one failure is 1 s from the attempt: nothing just before it, a retry right at it.
        sim.RunFor(TimeSpan.FromSeconds(1) - Quick - TimeSpan.FromMilliseconds(1));
        Assert.Single(sim.FenceAttempts);
        sim.RunFor(TimeSpan.FromMilliseconds(1) + Quick);
        Assert.Equal([t0, t0.AddSeconds(1)], sim.FenceAttempts.Select(f => f.At));
        n1 = sim.NodeStatus("n1");
        Assert.Equal((NodeState.Unclean, 2), (n1.State, n1.FenceFailures));
        Assert.Equal(GroupState.Online, sim.Group("web").State);
        Assert.Equal("n1", sim.Group("web").Node);

        // After two failures the backoff is 2 s from the second attempt.
        sim.RunTo(t0.AddSeconds(3) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, sim.FenceAttempts.Count());
        Assert.Single(sim.Delivered<GroupStartOrdered>());

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(10)), sim.RecentTrace());
        Assert.Equal([t0, t0.AddSeconds(1), t0.AddSeconds(3)], sim.FenceAttempts.Select(f => f.At));
        Assert.Equal([false, false, true], sim.Delivered<FenceCompleted>().Select(f => f.Success));
        FailoverTests.AssertFencedBeforeRestart(sim, "n1", "n2");
        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Fencing_that_never_works_leaves_the_group_where_it_was_and_backs_off_to_the_maximum()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });
        sim.Faults.FailFence("n1");
        var t0 = sim.Now;

        sim.ProcDown("n1");
        sim.RunFor(TimeSpan.FromMinutes(3));

        // Attempts at 0, 1, 3, 7, 15, 31 s, then every 30 s: 61, 91, 121, 151 s.
        int[] expected = [0, 1, 3, 7, 15, 31, 61, 91, 121, 151];
        Assert.Equal(expected.Select(s => t0.AddSeconds(s)), sim.FenceAttempts.Select(f => f.At));
        Assert.Equal(["n1"], sim.World.NodesRunning("web"));
        Assert.Single(sim.Delivered<GroupStartOrdered>());
        Assert.Contains(sim["n2"].Waiting, w => w.StartsWith("group web: waiting for n1 (Unclean) to be fenced", StringComparison.Ordinal));
        Assert.Empty(sim.Violations);
    }
}
