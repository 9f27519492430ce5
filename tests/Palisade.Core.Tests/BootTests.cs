using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class BootTests
{
    [Fact]
    public void Three_nodes_booting_together_settle_and_start_the_group_on_the_first_node_of_its_list()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.BootTogether("n1", "n2", "n3");

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), TimeSpan.FromSeconds(10)), sim.RecentTrace());

        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
        Assert.All(sim.Nodes, n => Assert.Equal(ReplicaPhase.Synced, n.Replica!.Phase));
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        Assert.Equal("all 3 nodes joined", Assert.Single(sim.Delivered<ClusterSettled>()).Reason);
        Assert.Equal(("web", "n1"), Assert.Single(sim.Delivered<GroupStartOrdered>().Select(s => (s.Group, s.Node))));
        Assert.All(sim.Nodes, n => Assert.Equal(NodeState.Online, n.State!.Nodes[n.Name].State));
        Assert.Equal("n1", sim.Nodes[0].State!.Coordinator!.Name);
    }

    [Fact]
    public void Three_nodes_booting_one_by_one_reach_one_state_and_start_the_group_once_all_joined()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.RunFor(TimeSpan.FromSeconds(2));
        Assert.False(sim["n1"].Quorate);
        Assert.Empty(sim.Delivered<ClusterSettled>());

        sim.Boot("n2");
        sim.RunFor(TimeSpan.FromSeconds(2));
        Assert.True(sim["n2"].Synced);
        Assert.Empty(sim.Delivered<ClusterSettled>()); // still waiting for n3 inside the join window

        sim.Boot("n3");
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), TimeSpan.FromSeconds(10)), sim.RecentTrace());

        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
        // n1 alone had no quorum, so it dropped its state when n2 joined and both started from the configuration;
        // the quorate pair then sent n3 a snapshot.
        Assert.Equal([1u, 2u], sim.Delivered<NoState>().Take(2).Select(n => n.NodeId));
        Assert.Equal([[3u]], sim.Delivered<StateSnapshot>().Select(s => s.For.ToArray()));
        Assert.Equal("all 3 nodes joined", Assert.Single(sim.Delivered<ClusterSettled>()).Reason);
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
    }
}
