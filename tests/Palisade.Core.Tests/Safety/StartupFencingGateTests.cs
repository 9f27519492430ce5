using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests.Safety;

/// <summary>
/// The schedule that ran a group on two nodes: the palisaded of the owner and of a third node die (their corosync and
/// the owner's service live on, their BMCs do not answer), then the last palisaded's node is power-cycled and comes
/// back alone. When its join window ends it must not start the group before the nodes it never saw are fenced.
/// </summary>
public sealed class StartupFencingGateTests
{
    [Fact]
    public void A_node_that_comes_back_alone_starts_nothing_before_the_nodes_it_never_saw_are_fenced()
    {
        var sim = SimScenarios.RunningOnN1();
        sim.Faults.FailFence("n1");
        sim.Faults.FailFence("n3");
        sim.ProcDown("n3");
        sim.RunFor(TimeSpan.FromSeconds(5));
        sim.ProcDown("n1");
        sim.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(["n1"], sim.World.NodesRunning("web"));

        sim.Kill("n2");
        sim.Boot("n2");
        sim.RunFor(TimeSpan.FromSeconds(60)); // the join window ends; n1 and n3 are Unclean and cannot be fenced

        Assert.Empty(sim.Violations);
        Assert.Equal(["n1"], sim.World.NodesRunning("web"));
        Assert.DoesNotContain(sim.Delivered<GroupStartOrdered>(), s => s.Node == "n2");
        Assert.Contains(sim["n2"].Waiting, w => w.StartsWith("group web: waiting for n1, n3 to be fenced or to report", StringComparison.Ordinal));

        sim.Faults.Clear(); // the BMCs answer again: both are powered off, and n2 alone has no quorum
        Assert.True(sim.RunUntil(() => sim.NodeStatus("n1").State == NodeState.Fenced && sim.NodeStatus("n3").State == NodeState.Fenced, TimeSpan.FromSeconds(60)), sim.RecentTrace());
        sim.Boot("n3");
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(60)), sim.RecentTrace());
        Assert.Empty(sim.Violations);
        Assert.Equal(1, sim.World.MaxConcurrent);
    }

    [Fact]
    public void A_group_waits_while_any_of_its_nodes_is_Unclean_even_when_it_ran_elsewhere()
    {
        var sim = SimScenarios.RunningOnN1();
        sim.Faults.FailFence("n3");
        sim.ProcDown("n3");
        sim.RunFor(TimeSpan.FromSeconds(5));
        sim.Request("n1", "web", AdminAction.Stop);
        sim.RunFor(TimeSpan.FromSeconds(5));
        sim.Request("n1", "web", AdminAction.Start);
        sim.RunFor(TimeSpan.FromSeconds(20));

        Assert.Equal(GroupState.Offline, sim.Group("web").State);
        Assert.Empty(sim.World.NodesRunning("web"));

        sim.Faults.Clear();
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), TimeSpan.FromSeconds(60)), sim.RecentTrace());
        Assert.Empty(sim.Violations);
    }
}
