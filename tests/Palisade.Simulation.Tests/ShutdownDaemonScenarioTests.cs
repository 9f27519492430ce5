using Palisade.Core.Control;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Xunit;
using static Palisade.Simulation.Tests.Scenario;

namespace Palisade.Simulation.Tests;

/// <summary>The shutdown daemons: operator kills and confirmations, clean restarts, healed partitions, who fences whom.</summary>
public sealed class ShutdownDaemonScenarioTests
{
    [Fact]
    public void When_every_agent_fails_the_group_stays_blocked_until_an_operator_confirms_the_node_down()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n1");

        world.PowerOff(world.Node("n1"), "test");
        Run(world, 20);
        Assert.True(RunUntil(world, 5, () => NodeStatus(world, "n1").State == NodeState.Unclean), Tail(world));
        Assert.Equal(("n1", GroupState.Online), (Group(world, "g1").Node, Group(world, "g1").State));
        Assert.True(Messages<FenceStarted>(world).Count >= 4);

        Sd(world, "n3", "confirm-down", "n1");
        Assert.True(RunUntil(world, 10, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));

        var n1 = NodeStatus(world, "n1");
        Assert.Equal((NodeState.Fenced, "confirmed down by operator on n3"), (n1.State, n1.Reason));
        var record = Assert.Single(Held(world).FenceHistory, r => r.Result == FenceResult.ConfirmedByOperator);
        Assert.Equal(("operator on n3", "n1", "confirm-down"), (record.By, record.Target, record.Action));
        var attempts = Messages<FenceStarted>(world).Count;
        Run(world, 60);
        Assert.Equal(attempts, Messages<FenceStarted>(world).Count);
        AssertOneState(world, "n2", "n3");
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_confirm_down_of_a_member_is_refused()
    {
        var world = Booted(ThreeNodesOneGroup());

        var answer = Submit(world, "n2", new ControlRequest("sd", "confirm-down", Target: "n1"));
        Run(world, 2);

        Assert.False(answer.Ok);
        Assert.Equal("n1 is a member of the cluster: it is not down, refusing to confirm it down", answer.Error);
        Assert.Equal(NodeState.Online, NodeStatus(world, "n1").State);
        Assert.Empty(Messages<NodeConfirmedDown>(world));
        Assert.DoesNotContain(Held(world).FenceHistory, r => r.Result == FenceResult.ConfirmedByOperator);
    }

    [Fact]
    public void An_operator_kill_fences_the_node_and_its_group_moves()
    {
        var world = Booted(ThreeNodesOneGroup());

        Sd(world, "n3", "kill", "n1");
        Assert.True(RunUntil(world, 20, () => IsOnlineOnlyOn(world, "g1", "n2")), Tail(world));

        var fence = Assert.Single(Messages<FenceStarted>(world));
        Assert.Equal("n1", fence.Target);
        Assert.Equal(FenceOrigin.Requested, fence.Origin);
        Assert.Equal("n2", fence.Executor); // run by the coordinator's shutdown daemon
        Assert.False(world.Node("n1").Powered);
        AssertFencedBeforeStart(world, "n1", "g1", "n2");
        Assert.Null(NodeStatus(world, "n1").KillRequestedBy);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_lost_node_that_restarts_cleanly_is_not_fenced_again()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n1");

        world.PowerOff(world.Node("n1"), "test");
        Run(world, 5);
        world.PowerOn(world.Node("n1"));
        Assert.True(RunUntil(world, 20, () => NodeStatus(world, "n1").State == NodeState.Online), Tail(world));
        var attempts = Messages<FenceStarted>(world).Count;
        Assert.True(RunUntil(world, 20, () => Group(world, "g1").State == GroupState.Online), Tail(world));
        Run(world, 60);

        Assert.Equal("restarted cleanly after being lost", NodeStatus(world, "n1").Reason);
        Assert.Equal(attempts, Messages<FenceStarted>(world).Count);
        Assert.Contains(Held(world).FenceHistory, r => r.Target == "n1" && r.Result == FenceResult.RestartedCleanly);
        Assert.Single(world.Ledger.NodesRunning("g1"));
        AssertOneState(world);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_healed_partition_is_still_fenced_when_the_same_process_had_started_a_group()
    {
        var world = Booted(ThreeNodesOneGroup());
        Operator(world, "n1", "move", "g1", "n3");
        Assert.True(RunUntil(world, 30, () => IsOnlineOnlyOn(world, "g1", "n3")), Tail(world));
        Operator(world, "n1", "move", "g1", "n1");
        Assert.True(RunUntil(world, 30, () => IsOnlineOnlyOn(world, "g1", "n1")), Tail(world)); // n3 runs nothing now
        FailKills(world, "n3");

        world.SplitInterconnect([0, 0, 1]);
        Run(world, 5);
        world.SplitInterconnect([0, 0, 0]);
        Run(world, 5);

        Assert.Equal(3, StateOf(world, "n3")!.Members.Count);
        Assert.Contains(NodeStatus(world, "n3").State, new[] { NodeState.Unclean, NodeState.Fencing });
        var healedAt = world.Now;
        Assert.True(RunUntil(world, 60, () => Messages<FenceStarted>(world).Count(f => f.Target == "n3" && f.At > healedAt) >= 3), Tail(world));
        Assert.True(world.Node("n3").Powered); // every kill failed
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void A_healed_node_whose_palisaded_never_started_a_group_and_runs_nothing_rejoins_without_a_fence()
    {
        var world = Booted(ThreeNodesOneGroup());
        FailKills(world, "n3");

        world.SplitInterconnect([0, 0, 1]);
        Run(world, 5);
        world.SplitInterconnect([0, 0, 0]);

        Assert.True(RunUntil(world, 30, () => NodeStatus(world, "n3") is { State: NodeState.Online, Probed: true }), Tail(world));
        Assert.Contains(Held(world).FenceHistory, r => r.Target == "n3" && r.Result == FenceResult.RestartedCleanly);
        Assert.True(world.Node("n3").Powered);
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void The_coordinator_hands_the_kill_to_a_node_whose_shutdown_daemon_runs()
    {
        var world = Booted(ThreeNodesOneGroup());
        Sd(world, "n1", "stop");
        Assert.True(RunUntil(world, 5, () => !NodeStatus(world, "n1").ShutdownDaemon), Tail(world));

        world.PowerOff(world.Node("n3"), "test");
        Assert.True(RunUntil(world, 20, () => NodeStatus(world, "n3").State == NodeState.Fenced), Tail(world));

        var fence = Assert.Single(Messages<FenceStarted>(world));
        Assert.Equal(("n1", "n2"), (fence.From, fence.Executor));
        Assert.Empty(world.Checks.Violations);
    }

    [Fact]
    public void Nobody_fences_when_no_shutdown_daemon_runs_in_the_partition()
    {
        var world = Booted(ThreeNodesOneGroup());
        Sd(world, "n1", "stop");
        Sd(world, "n2", "stop");
        Assert.True(RunUntil(world, 5, () => !NodeStatus(world, "n1").ShutdownDaemon && !NodeStatus(world, "n2").ShutdownDaemon), Tail(world));

        world.PowerOff(world.Node("n3"), "test");
        Run(world, 10);

        Assert.Empty(Messages<FenceStarted>(world));
        Assert.Contains("n3: no healthy node of this partition runs its shutdown daemon; nobody can fence it", Status(world, "n1").Waiting);

        Sd(world, "n2", "start");
        Assert.True(RunUntil(world, 20, () => NodeStatus(world, "n3").State == NodeState.Fenced), Tail(world));
        Assert.Equal("n2", Assert.Single(Messages<FenceStarted>(world)).Executor);
        Assert.Empty(world.Checks.Violations);
    }
}
