using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class PartitionTests
{
    [Fact]
    public void Minority_owner_stops_its_group_and_never_fences_while_the_majority_fences_it_and_takes_over()
    {
        var sim = SimScenarios.RunningOnN1();
        var cut = sim.Now;

        sim.Partition(["n1"], ["n2", "n3"]);

        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(20)), sim.RecentTrace());
        Assert.False(sim["n1"].CorosyncUp); // fenced: powered off
        Assert.DoesNotContain(sim.FenceAttempts, f => f.From == "n1");
        Assert.Equal([("n2", "n1")], sim.FenceAttempts.Select(f => (f.From, f.Target)));
        var stopped = Assert.Single(sim.Delivered<GroupStopped>());
        Assert.Equal(("n1", "stopped on n1: this node lost quorum", cut.AddSeconds(1)), (stopped.From, stopped.Reason, stopped.At));
        Assert.Equal(["n1"], sim.BusLog.Single(r => r.Message is GroupStopped).DeliveredTo.ToArray());
        FailoverTests.AssertFencedBeforeRestart(sim, "n1", "n2");

        sim.Heal();
        sim.Boot("n1");
        sim.RunFor(TimeSpan.FromSeconds(5));

        Assert.True(sim["n1"].Synced);
        Assert.Equal([1u], sim.Delivered<StateSnapshot>().Last().For.ToArray());
        Assert.True(sim.IsOnlineOnlyOn("web", "n2"));
        Assert.Equal(NodeState.Online, sim.NodeStatus("n1").State);
        sim.CheckConsistency();
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Minority_merging_back_before_it_was_fenced_adopts_the_majority_state_and_is_still_fenced()
    {
        var sim = SimScenarios.RunningOnN1();
        sim.Faults.FailFence("n1");
        sim.Partition(["n1"], ["n2", "n3"]);
        sim.RunFor(TimeSpan.FromSeconds(5));
        Assert.Equal(GroupState.Offline, sim["n1"].State!.Groups["web"].State); // the minority's own view
        Assert.Equal((GroupState.Online, "n1"), (sim["n2"].State!.Groups["web"].State, sim["n2"].State!.Groups["web"].Node));
        Assert.Empty(sim.World.NodesRunning("web"));

        sim.Heal();
        sim.Drain();
        Assert.True(sim["n1"].Synced);
        sim.CheckConsistency();
        Assert.Contains(sim.NodeStatus("n1").State, new[] { NodeState.Unclean, NodeState.Fencing });

        sim.Faults.Clear();
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(60)), sim.RecentTrace());
        Assert.DoesNotContain(sim.FenceAttempts, f => f.From == "n1");
        Assert.False(sim["n1"].CorosyncUp);
        FailoverTests.AssertFencedBeforeRestart(sim, "n1", "n2");
        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Non_owner_cut_off_is_fenced_and_the_group_stays_where_it_is()
    {
        var sim = SimScenarios.RunningOnN1();
        sim.Partition(["n1", "n2"], ["n3"]);
        sim.RunFor(TimeSpan.FromSeconds(10));

        Assert.Equal([("n1", "n3")], sim.FenceAttempts.Select(f => (f.From, f.Target)));
        Assert.True(sim.IsOnlineOnlyOn("web", "n1"));
        Assert.Single(sim.Delivered<GroupStartOrdered>());
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Every_side_without_quorum_stops_its_groups_and_does_nothing_else()
    {
        var sim = SimScenarios.RunningOnN1();
        var before = sim.BusLog.Count;
        sim.Partition(["n1"], ["n2"], ["n3"]);
        sim.RunFor(TimeSpan.FromSeconds(60));

        Assert.All(sim.Nodes, n => Assert.False(n.Quorate));
        Assert.Empty(sim.World.NodesRunning("web"));
        Assert.Empty(sim.FenceAttempts);
        var sent = sim.BusLog.Skip(before).Where(r => r.Sender is not null).Select(r => r.Message).ToList();
        Assert.All(sent, m => Assert.True(m is GroupStopped or StateDigest, m.GetType().Name));
        Assert.All(sim.Nodes, n => Assert.Equal(ReplicaPhase.Synced, n.Replica!.Phase));
        Assert.Empty(sim.Violations);
    }
}
