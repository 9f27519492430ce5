using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class JoinTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(40);

    [Fact]
    public void Node_joining_a_running_pair_receives_a_snapshot_and_holds_the_same_state()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.Boot("n2");
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), Long), sim.RecentTrace());
        Assert.Equal("join window ended without n3", Assert.Single(sim.Delivered<ClusterSettled>()).Reason);

        sim.Boot("n3");
        sim.RunFor(TimeSpan.FromSeconds(2));

        var snapshot = sim.Delivered<StateSnapshot>().Last();
        Assert.Equal("n1", snapshot.From);
        Assert.Equal([3u], snapshot.For.ToArray());
        Assert.True(sim["n3"].Synced);
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        Assert.Equal([1u, 2u, 3u], sim["n3"].State!.Synced);
        Assert.True(sim.IsOnlineOnlyOn("web", "n1"));
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Two_nodes_joining_back_to_back_while_the_first_snapshot_is_in_flight_end_with_equal_state()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.StartCorosync("n2");
        sim.StartCorosync("n3");

        sim.StartDaemon("n2");
        sim.StartDaemon("n3");
        sim.Drain();

        var joinOfN3 = sim.IndexOf(m => m is MembershipChanged c && c.Joined.SequenceEqual([3u]));
        var snapshotForN2 = sim.IndexOf(m => m is StateSnapshot s && s.For.SequenceEqual([2u]));
        Assert.True(joinOfN3 >= 0 && snapshotForN2 > joinOfN3, "the snapshot for n2 must still have been in flight when n3 joined");
        Assert.All(sim.Nodes, n => Assert.True(n.Synced, n.Name));
        sim.CheckConsistency();
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), TimeSpan.FromSeconds(5)), sim.RecentTrace());
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Nodes_starting_together_next_to_a_running_node_share_one_snapshot()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.StartCorosync("n2");
        sim.StartCorosync("n3");
        sim.StartDaemon("n2", "n3");
        sim.Drain();

        Assert.Equal([2u, 3u], Assert.Single(sim.Delivered<StateSnapshot>()).For.ToArray());
        sim.CheckConsistency();
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Joiner_bootstraps_when_the_only_holder_dies_before_its_snapshot_and_later_serves_snapshots_itself()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.RunFor(TimeSpan.FromSeconds(1));

        sim.Boot("n2");
        Assert.True(sim.DeliverUntil(() => sim.Queued.Any(e => e.Message is StateSnapshot)));
        sim.Kill("n1", dropUnsent: true);
        sim.Drain();

        Assert.Empty(sim.Delivered<StateSnapshot>());
        Assert.True(sim["n2"].Synced);
        Assert.Equal([2u], sim["n2"].State!.Members);

        sim.Boot("n3");
        sim.Drain();
        var snapshot = Assert.Single(sim.Delivered<StateSnapshot>());
        Assert.Equal("n2", snapshot.From);
        Assert.Equal([3u], snapshot.For.ToArray());
        Assert.True(sim["n3"].Synced);
        sim.CheckConsistency();

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), Long), sim.RecentTrace());
        sim.Boot("n1");
        sim.RunFor(TimeSpan.FromSeconds(2));
        Assert.True(sim["n1"].Synced);
        sim.CheckConsistency();
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Joiner_gets_its_snapshot_from_the_next_holder_when_the_sender_dies_before_sending()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.Boot("n2");
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), Long), sim.RecentTrace());

        sim.Boot("n3");
        Assert.True(sim.DeliverUntil(() => sim.Queued.Any(e => e.Message is StateSnapshot)));
        sim.Kill("n1", dropUnsent: true);
        sim.Drain();

        var snapshot = Assert.Single(sim.Delivered<StateSnapshot>(), s => s.For.Contains(3u));
        Assert.Equal("n2", snapshot.From);
        Assert.True(sim["n3"].Synced);
        sim.CheckConsistency();
        Assert.Equal(sim.Hash("n2"), sim.Hash("n3"));

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(10)), sim.RecentTrace());
        Assert.Equal(NodeState.Fenced, sim.NodeStatus("n1").State);
        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
    }
}
