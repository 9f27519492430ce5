using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class FailoverTests
{
    [Fact]
    public void Owner_lost_with_NodeDown_is_fenced_by_the_new_coordinator_before_the_group_starts_on_n2()
    {
        var sim = SimScenarios.RunningOnN1();
        var lostAt = sim.Now;

        sim.Kill("n1");

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(20)), sim.RecentTrace());
        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
        Assert.Equal([("n2", "n1", lostAt)], sim.FenceAttempts);
        AssertFencedBeforeRestart(sim, "n1", "n2");
        Assert.Equal(NodeState.Fenced, sim.NodeStatus("n1").State);
        Assert.Equal(1, sim.World.MaxConcurrent);
    }

    [Fact]
    public void Owner_whose_palisaded_died_is_fenced_while_its_resources_still_run_then_the_group_moves()
    {
        var sim = SimScenarios.RunningOnN1();

        sim.ProcDown("n1");
        sim.Drain();

        var left = Assert.Single(sim.Delivered<MembershipChanged>().Last().Left);
        Assert.Equal(new MemberLeft(1, LeaveReason.ProcDown), left);
        Assert.Equal(NodeState.Fencing, sim.NodeStatus("n1").State);
        Assert.Equal(["n1"], sim.World.NodesRunning("web")); // corosync and the resources live on

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(20)), sim.RecentTrace());
        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
        Assert.Equal(["n1"], sim.FenceAttempts.Select(f => f.Target));
        AssertFencedBeforeRestart(sim, "n1", "n2");
        Assert.False(sim["n1"].CorosyncUp); // the fence powered it off
        Assert.Equal(1, sim.World.MaxConcurrent);
    }

    internal static void AssertFencedBeforeRestart(SimCluster sim, string fenced, string next)
    {
        var fencedAt = sim.IndexOf(m => m is FenceCompleted { Success: true } f && f.Target == fenced);
        var startedAt = sim.IndexOf(m => m is GroupStartOrdered s && s.Group == "web" && s.Node == next);
        Assert.True(fencedAt >= 0, "no successful FenceCompleted");
        Assert.True(startedAt > fencedAt, $"GroupStartOrdered(web, {next}) at {startedAt} is not after FenceCompleted at {fencedAt}");
    }
}
