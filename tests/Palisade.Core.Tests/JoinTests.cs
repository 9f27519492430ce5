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
    public void Node_absent_when_the_cluster_formed_is_fenced_then_joins_with_a_snapshot_and_the_same_state()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.Boot("n2");
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1") && sim.NodeStatus("n3").State == NodeState.Fenced, Long), sim.RecentTrace());
        Assert.Equal("join window ended without n3", Assert.Single(sim.Delivered<ClusterSettled>()).Reason);
        var startupFence = Assert.Single(sim.Delivered<FenceStarted>());
        Assert.Equal(("n1", "n3", "n3 is Unclean (not seen since the cluster formed: it may still run resources)"), (startupFence.From, startupFence.Target, startupFence.Reason));

        sim.Boot("n3");
        sim.RunFor(TimeSpan.FromSeconds(2));

        var snapshot = sim.Delivered<StateSnapshot>().Last();
        Assert.Equal("n1", snapshot.From);
        Assert.Equal([3u], snapshot.For.ToArray());
        Assert.True(sim["n3"].Synced);
        Assert.Equal(NodeState.Online, sim.NodeStatus("n3").State);
        sim.CheckConsistency();
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        Assert.Equal([1u, 2u, 3u], sim["n3"].State!.Synced);
        Assert.True(sim.IsOnlineOnlyOn("web", "n1"));
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Two_nodes_joining_back_to_back_while_the_first_snapshot_is_in_flight_end_with_equal_state()
    {
        var sim = FiveNodesWithThreeRunning();

        sim.StartDaemon("n4");
        sim.StartDaemon("n5");
        sim.Drain();

        var joinOfN5 = sim.IndexOf(m => m is MembershipChanged c && c.Joined.SequenceEqual([5u]));
        var snapshotForN4 = sim.IndexOf(m => m is StateSnapshot s && s.For.SequenceEqual([4u]));
        Assert.True(joinOfN5 >= 0 && snapshotForN4 > joinOfN5, "the snapshot for n4 must still have been in flight when n5 joined");
        Assert.All(sim.Nodes, n => Assert.True(n.Synced, n.Name));
        sim.CheckConsistency();
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        Assert.Equal([1u, 2u, 3u, 4u, 5u], sim["n5"].State!.Synced);

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), TimeSpan.FromSeconds(5)), sim.RecentTrace());
        Assert.Empty(sim.FenceAttempts);
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Nodes_starting_together_next_to_a_running_majority_share_one_snapshot()
    {
        var sim = FiveNodesWithThreeRunning();

        sim.StartDaemon("n4", "n5");
        sim.Drain();

        var snapshot = Assert.Single(sim.Delivered<StateSnapshot>());
        Assert.Equal("n1", snapshot.From);
        Assert.Equal([4u, 5u], snapshot.For.ToArray());
        sim.CheckConsistency();
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Joiner_bootstraps_when_the_only_holder_dies_before_its_snapshot_and_later_serves_snapshots_itself()
    {
        // Two nodes: a settled node is a quorate side, so the lone holder sends a snapshot rather than drop its state.
        var sim = new SimCluster(SimConfigs.Cluster(2, SimConfigs.Group("web", "n1", "n2")));
        sim.Boot("n1");
        Assert.True(sim.RunUntil(() => sim["n1"].State is { Settled: true }, Long), sim.RecentTrace());

        sim.Boot("n2");
        Assert.True(sim.DeliverUntil(() => sim.Queued.Any(e => e.Message is StateSnapshot)));
        sim.Kill("n1", dropUnsent: true);
        sim.Drain();

        Assert.Empty(sim.Delivered<StateSnapshot>());
        Assert.True(sim["n2"].Synced);
        Assert.Equal([2u], sim["n2"].State!.Members);
        Assert.Equal([2u], sim["n2"].State!.Synced);

        // Once settled alone (the join window ended without n1), n2 holds the state n1 must take.
        Assert.True(sim.RunUntil(() => sim["n2"].State is { Settled: true } && sim.IsOnlineOnlyOn("web", "n2"), Long), sim.RecentTrace());
        sim.Boot("n1");
        sim.Drain();
        var snapshot = Assert.Single(sim.Delivered<StateSnapshot>());
        Assert.Equal("n2", snapshot.From);
        Assert.Equal([1u], snapshot.For.ToArray());
        Assert.True(sim["n1"].Synced);
        sim.CheckConsistency();
        Assert.Equal(sim.Hash("n1"), sim.Hash("n2"));

        sim.RunFor(TimeSpan.FromSeconds(5));
        Assert.True(sim.IsOnlineOnlyOn("web", "n2"), sim.RecentTrace());
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void A_two_node_cluster_node_that_formed_alone_takes_the_settled_nodes_state_when_they_meet()
    {
        var sim = new SimCluster(SimConfigs.Cluster(2, SimConfigs.Group("web", "n1", "n2")));
        sim.BootTogether("n1", "n2");
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), Long), sim.RecentTrace());

        // n2 is powered off and boots apart from n1: it forms a cluster of its own, unsettled, before they meet.
        sim.Kill("n2");
        sim.RunFor(TimeSpan.FromSeconds(5));
        sim.Partition(["n1"], ["n2"]);
        sim.Boot("n2");
        sim.RunFor(TimeSpan.FromSeconds(1));
        Assert.True(sim["n2"].Synced);
        Assert.False(sim["n2"].State!.Settled);
        sim.Heal();
        sim.Drain();

        Assert.Contains(sim.Delivered<StateSnapshot>(), s => s.From == "n1" && s.For.Contains(2u));
        Assert.Equal(sim.Hash("n1"), sim.Hash("n2"));
        Assert.True(sim.RunUntil(() => sim.NodeStatus("n2") is { State: NodeState.Online, Probed: true }, Long), sim.RecentTrace());
        Assert.True(sim.IsOnlineOnlyOn("web", "n1"));
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Joiner_gets_its_snapshot_from_the_next_holder_when_the_sender_dies_before_sending()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.Boot("n2");
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1") && sim.NodeStatus("n3").State == NodeState.Fenced, Long), sim.RecentTrace());

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

    [Fact]
    public void Lone_node_without_quorum_and_a_new_node_both_start_from_the_configuration_at_the_same_message()
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.RunFor(TimeSpan.FromSeconds(1));
        sim.Boot("n2");
        sim.Drain();

        Assert.Empty(sim.Delivered<StateSnapshot>());
        Assert.Equal([1u, 2u], sim.Delivered<NoState>().Select(n => n.NodeId));
        Assert.All(new[] { "n1", "n2" }, n => Assert.Equal(ReplicaPhase.Synced, sim[n].Replica!.Phase));
        sim.CheckConsistency();
        Assert.Equal(sim.Hash("n1"), sim.Hash("n2"));
        Assert.Equal([1u, 2u], sim["n2"].State!.Synced);
        Assert.Empty(sim.Violations);
    }

    /// <summary>Five nodes whose corosync runs everywhere, palisaded only on n1..n3 (a quorate side).</summary>
    private static SimCluster FiveNodesWithThreeRunning()
    {
        var sim = new SimCluster(SimConfigs.Cluster(5, SimConfigs.Group("web", "n1", "n2", "n3", "n4", "n5")));
        foreach (var name in sim.Nodes.Select(n => n.Name))
        {
            sim.StartCorosync(name);
        }

        sim.StartDaemon("n1", "n2", "n3");
        sim.RunFor(TimeSpan.FromSeconds(1));
        return sim;
    }
}
