using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class FencingTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    /// <summary>Attempt k+1 starts no sooner than backoff(k) after attempt k failed, and at most one planning tick later.</summary>
    private static void AssertBackoff(IReadOnlyList<DateTimeOffset> attempts, DateTimeOffset first)
    {
        Assert.Equal(first, attempts[0]);
        for (var k = 1; k < attempts.Count; k++)
        {
            var earliest = attempts[k - 1] + Quick + TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, k - 1)));
            Assert.InRange(attempts[k], earliest, earliest + Tick);
        }
    }

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

        // Backoff after one failure is 1 s from that failure (the attempt took Quick): nothing before it.
        sim.RunTo(t0 + Quick + TimeSpan.FromSeconds(1) - TimeSpan.FromMilliseconds(1));
        Assert.Single(sim.FenceAttempts);
        sim.RunFor(Tick + Quick);
        Assert.Equal(2, sim.FenceAttempts.Count());
        n1 = sim.NodeStatus("n1");
        Assert.Equal((NodeState.Unclean, 2), (n1.State, n1.FenceFailures));
        Assert.Equal(GroupState.Online, sim.Group("web").State);
        Assert.Equal("n1", sim.Group("web").Node);
        Assert.Single(sim.Delivered<GroupStartOrdered>());

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(10)), sim.RecentTrace());
        AssertBackoff(sim.FenceAttempts.Select(f => f.At).ToList(), t0);
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

        // Each retry waits 1, 2, 4, 8, 16 s, then 30 s, after the previous attempt failed (Quick after it began).
        var attempts = sim.FenceAttempts.Select(f => f.At).ToList();
        Assert.Equal(10, attempts.Count);
        AssertBackoff(attempts, t0);
        Assert.Equal(["n1"], sim.World.NodesRunning("web"));
        Assert.Single(sim.Delivered<GroupStartOrdered>());
        Assert.Contains(sim["n2"].Waiting, w => w.StartsWith("group web: waiting for n1 (Unclean) to be fenced", StringComparison.Ordinal));
        Assert.Empty(sim.Violations);
    }
}
