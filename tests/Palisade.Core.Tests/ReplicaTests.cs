using System.Collections.Immutable;
using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class ReplicaTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;

    [Fact]
    public void Minority_merging_back_drops_its_state_and_keeps_no_old_versions_for_digest_checks()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var n1 = new Replica(config, "n1");
        n1.Deliver(Membership([1], joined: [1]), T0);
        n1.Deliver(new StateDigest(1, "x") { From = "n1", At = T0 }, T0);
        Assert.Equal(2, n1.State!.Version);
        Assert.NotNull(n1.StateAt(2));

        var merged = n1.Deliver(Membership([1, 2, 3], joined: [2, 3]), T0);

        Assert.Equal(ReplicaPhase.AwaitingSnapshot, n1.Phase);
        Assert.Null(n1.State);
        Assert.Equal(["merged with other nodes after being in a partition without quorum: dropping local state"], merged.Notes.ToArray());
        Assert.Equal(1u, Assert.IsType<NoState>(Assert.Single(merged.ToSend)).NodeId);
        Assert.Null(n1.StateAt(2));

        // The majority's history reached version 2 too; after adopting it, version 2 must be the majority's.
        var majority = ClusterState.Initial(config) with { Version = 2, Members = [1, 2, 3], Synced = [2, 3] };
        n1.Deliver(new StateDigest(2, StateHasher.Hash(majority)) { From = "n2", At = T0 }, T0);
        n1.Deliver(new StateSnapshot([1], majority) { From = "n2", At = T0 }, T0);

        Assert.Equal(ReplicaPhase.Synced, n1.Phase);
        Assert.Equal(4, n1.State!.Version);
        Assert.Equal([1u, 2u, 3u], n1.State.Synced);
        Assert.Null(n1.StateAt(1));
        Assert.Equal(StateHasher.Hash(n1.State), StateHasher.Hash(n1.StateAt(4)!));
    }

    [Fact]
    public void A_single_member_whose_corosync_ring_is_a_majority_keeps_its_state_when_a_peer_palisaded_joins()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var n1 = new Replica(config, "n1");
        n1.Deliver(Membership([1], joined: [1]), T0);
        n1.Deliver(new TotemChanged([1, 2]), T0);
        var settled = n1.Deliver(new ClusterSettled("test") { From = "n1", At = T0 }, T0);
        Assert.True(n1.State!.Settled, string.Join("; ", settled.Notes));

        var merged = n1.Deliver(Membership([1, 2], joined: [2]), T0);

        Assert.Equal(ReplicaPhase.Synced, n1.Phase);
        Assert.True(n1.State!.Settled);
        Assert.Equal([2u], Assert.IsType<StateSnapshot>(Assert.Single(merged.ToSend)).For.ToArray());
    }

    [Fact]
    public void A_single_member_alone_in_its_corosync_ring_drops_its_state_on_merging()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var n1 = new Replica(config, "n1");
        n1.Deliver(Membership([1], joined: [1]), T0);
        n1.Deliver(new TotemChanged([1]), T0);

        var merged = n1.Deliver(Membership([1, 2], joined: [2]), T0);

        Assert.Equal(ReplicaPhase.AwaitingSnapshot, n1.Phase);
        Assert.IsType<NoState>(Assert.Single(merged.ToSend));
    }

    [Fact]
    public void Joiner_buffers_messages_until_its_snapshot_then_replays_them_in_order()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var n1 = new Replica(config, "n1");
        var n3 = new Replica(config, "n3");
        n1.Deliver(Membership([1, 2], joined: [1, 2]), T0);

        var join = Membership([1, 2, 3], joined: [3]);
        var sent = n1.Deliver(join, T0).ToSend;
        var joined = n3.Deliver(join, T0);
        var snapshot = Assert.IsType<StateSnapshot>(Assert.Single(sent));
        Assert.Equal([3u], snapshot.For.ToArray());
        Assert.Equal(ReplicaPhase.AwaitingSnapshot, n3.Phase);
        Assert.Equal(["joined a running cluster; waiting for a state snapshot from 1, 2"], joined.Notes.ToArray());

        var settle = new ClusterSettled("test") { From = "n1", At = T0 };
        var start = new GroupStartOrdered("web", "n3", "test") { From = "n1", At = T0 };
        ClusterMessage[] probes = [.. new[] { "n1", "n2", "n3" }.Select(n => new ProbeReport([]) { From = n, At = T0 })];
        foreach (var m in probes.Append(settle).Append(start))
        {
            n1.Deliver(m, T0);
            Assert.Equal(DeliveryResult.None, n3.Deliver(m, T0));
        }

        n1.Deliver(snapshot, T0);
        var adopted = n3.Deliver(snapshot, T0);

        Assert.Equal(ReplicaPhase.Synced, n3.Phase);
        Assert.Equal([new StartGroupEffect("web", "test")], adopted.Effects.ToArray());
        Assert.Equal(n1.State!.Version, n3.State!.Version);
        Assert.Equal(StateHasher.Hash(n1.State), StateHasher.Hash(n3.State));
    }

    [Fact]
    public void A_joiner_first_in_a_ring_without_the_holder_replays_only_what_follows_the_change_that_brought_the_holder()
    {
        // Seed 172926: n3 restarts into a ring with n2 (no state there either), then both rings merge with n1, which
        // holds the state. n3 sees that merge as "n1 joined", n1 as "n2, n3 joined"; the snapshot already counts it.
        var config = TestConfigs.ThreeNodesOneGroup();
        var n1 = new Replica(config, "n1");
        var n3 = new Replica(config, "n3");
        n1.Deliver(Membership([1], joined: [1]), T0);
        n1.Deliver(new TotemChanged([1, 2]), T0); // a quorate ring: n2's palisaded is not running yet
        n3.Deliver(Membership([2, 3], joined: [3]), T0);
        n3.Deliver(new NoState(3, "joined a running cluster") { From = "n3", At = T0 }, T0); // only in the n2,n3 ring

        var snapshot = Assert.IsType<StateSnapshot>(Assert.Single(n1.Deliver(Membership([1, 2, 3], joined: [2, 3]), T0).ToSend));
        var waiting = Assert.IsType<NoState>(Assert.Single(n3.Deliver(Membership([1, 2, 3], joined: [1]), T0).ToSend));
        var settle = new ClusterSettled("test") { From = "n1", At = T0 };
        foreach (var m in new ClusterMessage[] { waiting, settle, snapshot })
        {
            n1.Deliver(m, T0);
            n3.Deliver(m, T0);
        }

        Assert.Equal(ReplicaPhase.Synced, n3.Phase);
        Assert.Equal(n1.State!.Version, n3.State!.Version);
        Assert.Equal(StateHasher.Hash(n1.State), StateHasher.Hash(n3.State));
    }

    [Fact]
    public void A_no_state_announcement_said_in_another_view_does_not_count()
    {
        // Seed 7031398: n2's announcement, queued while its ring re-formed, reached n1 in the next view, after n2 had
        // taken a state; n1 counted it and started from the configuration while n2 held another state.
        var config = TestConfigs.ThreeNodesOneGroup();
        var n1 = new Replica(config, "n1");
        var own = Assert.IsType<NoState>(Assert.Single(n1.Deliver(Membership([1, 2], joined: [1]), T0).ToSend));
        Assert.Equal([1u, 2u], own.View.ToArray());

        n1.Deliver(new NoState(2, "still waiting for a state snapshot") { From = "n2", At = T0, View = [2, 3] }, T0);
        n1.Deliver(own, T0);
        Assert.Equal(ReplicaPhase.AwaitingSnapshot, n1.Phase);

        n1.Deliver(new NoState(2, "still waiting for a state snapshot") { From = "n2", At = T0, View = [1, 2] }, T0);
        Assert.Equal(ReplicaPhase.Synced, n1.Phase);
    }

    [Fact]
    public void An_operator_request_delivered_while_nobody_holds_the_state_is_applied_once_the_members_start_from_the_configuration()
    {
        // Seed 8017982: an operator's stop reached every member just after a merge that made all of them drop their
        // state; starting from the configuration threw it away and the group was started.
        var config = TestConfigs.ThreeNodesOneGroup();
        var n1 = new Replica(config, "n1");
        var own = Assert.IsType<NoState>(Assert.Single(n1.Deliver(Membership([1, 2], joined: [1]), T0).ToSend));
        n1.Deliver(new AdminRequest("web", AdminAction.Stop, null, "operator on n2") { From = "n2", At = T0 }, T0);
        n1.Deliver(own, T0);

        n1.Deliver(new NoState(2, "merged") { From = "n2", At = T0, View = [1, 2] }, T0);

        Assert.Equal(ReplicaPhase.Synced, n1.Phase);
        Assert.Equal((GroupTarget.Stopped, "operator on n2"), (n1.State!.Groups["web"].Target, n1.State.Groups["web"].TargetBy));
    }

    [Fact]
    public void Only_the_fencing_node_gets_the_fence_effect_and_only_for_an_Unclean_target()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var n2 = new Replica(config, "n2");
        var n3 = new Replica(config, "n3");
        foreach (var r in new[] { n2, n3 })
        {
            r.Deliver(Membership([1, 2, 3], joined: [1, 2, 3]), T0);
            r.Deliver(Membership([2, 3], left: [new MemberLeft(1, LeaveReason.NodeDown)]), T0);
        }

        var fence = new FenceStarted("n1", "test") { From = "n2", At = T0 };
        Assert.Equal([new FenceEffect("n1", "test")], n2.Deliver(fence, T0).Effects.ToArray());
        Assert.Empty(n3.Deliver(fence, T0).Effects);

        var healthy = new FenceStarted("n3", "test") { From = "n2", At = T0 };
        Assert.Empty(n2.Deliver(healthy, T0).Effects);
        Assert.Equal(NodeState.Online, n2.State!.Nodes["n3"].State);
    }

    [Fact]
    public void Two_nodes_joining_back_to_back_while_the_first_snapshot_is_in_flight_end_with_equal_state()
    {
        var config = TestConfigs.Cluster(5, TestConfigs.Group("web", "n1", "n2", "n3", "n4", "n5"));
        var replicas = Enumerable.Range(1, 5).Select(i => new Replica(config, $"n{i}")).ToArray();
        var stream = new List<ClusterMessage>();
        var pending = new Queue<ClusterMessage>();
        void Deliver(ClusterMessage message, Replica[] to)
        {
            stream.Add(message);
            foreach (var replica in to)
            {
                // Whatever a replica sends is ordered after everything already in the stream and reaches every node.
                foreach (var sent in replica.Deliver(message, T0).ToSend)
                {
                    pending.Enqueue(sent);
                }
            }
        }

        Deliver(Membership([1, 2, 3], joined: [1, 2, 3]), replicas[..3]);
        Assert.Empty(pending);

        // CPG reports n4 then n5 joining before n1 has sent n4's snapshot: it comes after both joins.
        Deliver(Membership([1, 2, 3, 4], joined: [4]), replicas[..4]);
        Deliver(Membership([1, 2, 3, 4, 5], joined: [5]), replicas);
        while (pending.TryDequeue(out var next))
        {
            Deliver(next, replicas);
        }

        var forN4 = stream.FindIndex(m => m is StateSnapshot s && s.For.SequenceEqual([4u]));
        var joinOfN5 = stream.FindIndex(m => m is MembershipChanged c && c.Joined.SequenceEqual([5u]));
        Assert.True(joinOfN5 >= 0 && forN4 > joinOfN5, "the snapshot for n4 must still have been in flight when n5 joined");
        Assert.All(replicas, r => Assert.Equal(ReplicaPhase.Synced, r.Phase));
        Assert.Single(replicas.Select(r => (r.State!.Version, StateHasher.Hash(r.State))).Distinct());
        Assert.Equal([1u, 2u, 3u, 4u, 5u], replicas[4].State!.Synced);
    }

    private static MembershipChanged Membership(uint[] members, uint[]? joined = null, MemberLeft[]? left = null) =>
        new([.. members], left is null ? [] : [.. left], joined is null ? [] : [.. joined]);
}
