using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests.Safety;

/// <summary>
/// Both halves of a two-node cluster keep quorum on a cut; when neither can fence the other, both keep a state.
/// When they merge again, the side of the lowest node id keeps its state and the other takes it and probes again.
/// </summary>
public sealed class TwoNodeMergeTests
{
    private static SimCluster TwoNodesRunningOnN1()
    {
        var sim = new SimCluster(SimConfigs.Cluster(2, SimConfigs.Group("web", "n1", "n2"), SimConfigs.Group("db", "n2", "n1")));
        sim.BootTogether("n1", "n2");
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1") && sim.IsOnlineOnlyOn("db", "n2"), TimeSpan.FromSeconds(20)), sim.RecentTrace());
        sim.RunFor(TimeSpan.FromSeconds(1));
        return sim;
    }

    [Fact]
    public void After_a_cut_neither_side_could_fence_the_two_states_become_one()
    {
        var sim = TwoNodesRunningOnN1();
        sim.Faults.FailFence("n1");
        sim.Faults.FailFence("n2");
        sim.Partition(["n1"], ["n2"]);
        sim.RunFor(TimeSpan.FromSeconds(20));
        Assert.NotEqual(sim.Hash("n1"), sim.Hash("n2"));

        sim.Heal();
        sim.RunFor(TimeSpan.FromSeconds(5));

        sim.CheckConsistency();
        Assert.Equal(sim.Hash("n1"), sim.Hash("n2"));
        Assert.Empty(sim.Violations);
        Assert.Contains(sim.Delivered<ProbeReport>(), p => p.From == "n2");
        Assert.Equal(["n1"], sim.World.NodesRunning("web"));
        Assert.Equal(["n2"], sim.World.NodesRunning("db"));

        // n1's state won: n2 was lost to it and must be fenced once its BMC answers; db then moves to n1.
        sim.Faults.Clear();
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("db", "n1"), TimeSpan.FromSeconds(60)), sim.RecentTrace());
        Assert.Empty(sim.Violations);
        Assert.Equal(1, sim.World.MaxConcurrent);
    }

    [Fact]
    public void A_snapshot_from_a_higher_lineage_is_ignored_and_one_from_a_lower_lineage_is_adopted_with_a_replay()
    {
        var config = SimConfigs.Cluster(2, SimConfigs.Group("web", "n1", "n2"));
        var t0 = SimOptions.Epoch;
        var n1 = new Replica(config, "n1");
        var n2 = new Replica(config, "n2");
        n1.Deliver(new MembershipChanged([1], [], [1]), t0);
        n2.Deliver(new MembershipChanged([2], [], [2]), t0);
        n1.Deliver(new ClusterSettled("alone") { From = "n1", At = t0 }, t0);
        n2.Deliver(new ClusterSettled("alone") { From = "n2", At = t0 }, t0);

        var merge = new MembershipChanged([1, 2], [], [2]);
        var fromN1 = Assert.IsType<StateSnapshot>(Assert.Single(n1.Deliver(merge, t0).ToSend));
        var fromN2 = Assert.IsType<StateSnapshot>(Assert.Single(n2.Deliver(merge with { Joined = [1] }, t0).ToSend));
        var between = new AdminRequest("web", AdminAction.Stop, null, "operator on n2") { From = "n2", At = t0 };

        foreach (var m in new ClusterMessage[] { fromN2, between })
        {
            n1.Deliver(m, t0);
            n2.Deliver(m, t0);
        }

        var ignored = n1.Deliver(fromN1, t0);
        var adopted = n2.Deliver(fromN1, t0);

        Assert.False(ignored.AdoptedState);
        Assert.True(adopted.AdoptedState);
        Assert.StartsWith("merged with a side that held its own state: taking n1's state", adopted.Notes[0], StringComparison.Ordinal);
        Assert.Equal(StateHasher.Hash(n1.State!), StateHasher.Hash(n2.State!));
        Assert.Equal(GroupTarget.Stopped, n2.State!.Groups["web"].Target);
    }
}
