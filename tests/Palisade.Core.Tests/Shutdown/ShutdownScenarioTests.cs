using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

public sealed class ShutdownScenarioTests
{
    private static readonly TimeSpan Quick = TimeSpan.FromMilliseconds(200);

    [Fact]
    public void When_every_agent_fails_the_group_stays_blocked_until_an_operator_confirms_the_node_down()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });
        sim.Faults.FailFence("n1");

        sim.Kill("n1");
        sim.RunFor(TimeSpan.FromSeconds(20));
        Assert.Equal(NodeState.Unclean, sim.NodeStatus("n1").State);
        Assert.Equal(("n1", GroupState.Online), (sim.Group("web").Node, sim.Group("web").State));
        Assert.True(sim.FenceAttempts.Count() >= 4);

        sim["n3"].Send(new NodeConfirmedDown("n1", "operator on n3"));
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(10)), sim.RecentTrace());

        var n1 = sim.NodeStatus("n1");
        Assert.Equal((NodeState.Fenced, "confirmed down by operator on n3"), (n1.State, n1.Reason));
        var record = Assert.Single(sim["n2"].State!.FenceHistory);
        Assert.Equal(("operator on n3", "n1", "confirm-down", FenceResult.ConfirmedByOperator), (record.By, record.Target, record.Action, record.Result));
        var attempts = sim.FenceAttempts.Count();
        sim.RunFor(TimeSpan.FromSeconds(60));
        Assert.Equal(attempts, sim.FenceAttempts.Count());
        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void Confirm_down_of_a_member_is_ignored()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });

        sim["n2"].Send(new NodeConfirmedDown("n1", "operator on n2"));
        sim.RunFor(TimeSpan.FromSeconds(2));

        Assert.Equal(NodeState.Online, sim.NodeStatus("n1").State);
        Assert.Empty(sim["n2"].State!.FenceHistory);
    }

    [Fact]
    public void An_operator_kill_fences_the_node_and_its_group_moves()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });

        sim["n3"].Send(new FenceRequested("n1", "operator on n3"));
        Assert.True(sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n2"), TimeSpan.FromSeconds(10)), sim.RecentTrace());

        var fence = Assert.Single(sim.Delivered<FenceStarted>());
        Assert.Equal(("n1", FenceOrigin.Operator, "n2"), (fence.Target, fence.Origin, fence.Executor));
        FailoverTests.AssertFencedBeforeRestart(sim, "n1", "n2");
        Assert.Null(sim.NodeStatus("n1").KillRequestedBy);
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void A_lost_node_that_restarts_cleanly_is_not_fenced_again()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });
        sim.Faults.FailFence("n1");

        sim.Kill("n1");
        sim.RunFor(TimeSpan.FromSeconds(5));
        var attempts = sim.FenceAttempts.Count();
        sim.Boot("n1");
        Assert.True(sim.RunUntil(() => sim.NodeStatus("n1").State == NodeState.Online, TimeSpan.FromSeconds(10)), sim.RecentTrace());
        Assert.True(sim.RunUntil(() => sim.Group("web").State == GroupState.Online, TimeSpan.FromSeconds(10)), sim.RecentTrace());
        sim.RunFor(TimeSpan.FromSeconds(60));

        Assert.Equal("restarted cleanly after being lost", sim.NodeStatus("n1").Reason);
        Assert.Equal(attempts, sim.FenceAttempts.Count());
        Assert.Contains(sim["n2"].State!.FenceHistory, r => r.Target == "n1" && r.Result == FenceResult.RestartedCleanly);
        sim.CheckConsistency();
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void A_healed_partition_is_still_fenced_because_the_same_process_comes_back()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });
        sim.Faults.FailFence("n3", times: 1000);

        sim.Partition(["n1", "n2"], ["n3"]);
        sim.RunFor(TimeSpan.FromSeconds(5));
        sim.Heal();
        sim.RunFor(TimeSpan.FromSeconds(5));

        Assert.Equal(NodeState.Unclean, sim.NodeStatus("n3").State);
        Assert.True(sim.RunUntil(() => sim.FenceAttempts.Count(f => f.Target == "n3") >= 4, TimeSpan.FromSeconds(60)), sim.RecentTrace());
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void The_coordinator_hands_the_kill_to_a_node_whose_shutdown_daemon_runs()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });
        sim["n1"].Send(new ShutdownDaemonChanged(false, "operator"));
        sim.RunFor(Quick);
        Assert.False(sim.NodeStatus("n1").ShutdownDaemon);

        sim.Kill("n3");
        Assert.True(sim.RunUntil(() => sim.NodeStatus("n3").State == NodeState.Fenced, TimeSpan.FromSeconds(10)), sim.RecentTrace());

        var fence = Assert.Single(sim.Delivered<FenceStarted>());
        Assert.Equal(("n1", "n2"), (fence.From, fence.Executor));
    }

    [Fact]
    public void Nobody_fences_when_no_shutdown_daemon_runs_in_the_partition()
    {
        var sim = SimScenarios.RunningOnN1(new SimOptions { FenceDuration = Quick });
        sim["n1"].Send(new ShutdownDaemonChanged(false, "operator"));
        sim["n2"].Send(new ShutdownDaemonChanged(false, "operator"));

        sim.Kill("n3");
        sim.RunFor(TimeSpan.FromSeconds(10));

        Assert.Empty(sim.Delivered<FenceStarted>());
        Assert.Contains(sim["n1"].Waiting, w => w == "n3: no healthy node of this partition runs its shutdown daemon; nobody can fence it");

        sim["n2"].Send(new ShutdownDaemonChanged(true, "operator"));
        Assert.True(sim.RunUntil(() => sim.NodeStatus("n3").State == NodeState.Fenced, TimeSpan.FromSeconds(10)), sim.RecentTrace());
    }
}
