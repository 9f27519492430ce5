using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>
/// A restart or failover stops the group where it failed in the same step as the recovery order (one round on the
/// ordered stream, not two); and a step overdue on a node taken back waits for that node's probe.
/// </summary>
public sealed class RecoveryStopTests
{
    private static readonly DateTimeOffset T0 = LadderRun.T0;

    private static ClusterConfig Config(int restarts, int failovers)
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var web = config.Groups[0];
        var recovery = new RecoveryConfig { RestartLimit = restarts, FailoverLimit = failovers, FinalAction = FinalAction.StopGroup };
        return config with { Groups = [web with { Resources = [.. web.Resources.Select(r => r with { Recovery = recovery })] }] };
    }

    /// <summary>web Online on n1, then its resource failed there: the coordinator's recovery order, not yet applied.</summary>
    private static (ClusterState State, RecoveryOrdered Order) Failed(ClusterConfig config)
    {
        var (s, _) = LadderRun.Settle(config, LadderRun.Formed(config));
        s = LadderRun.Apply(config, s, new ResourceFailed("web", "app", "n1", "monitor: NotRunning") { From = "n1", At = T0 });
        var order = Coordinator.Decide(config, s, new PlanContext("n1", true, T0, T0)).Decisions.Select(d => d.Message).OfType<RecoveryOrdered>().Single();
        return (s, order);
    }

    [Theory]
    [InlineData(0, 1, RecoveryRung.Failover, "recovering: a resource failed on n1")]
    [InlineData(1, 0, RecoveryRung.Restart, "restarting in place on n1: a resource failed")]
    public void A_restart_or_failover_stops_the_group_there_at_once_and_the_coordinator_orders_no_second_stop(int restarts, int failovers, RecoveryRung rung, string reason)
    {
        var config = Config(restarts, failovers);
        var (s, order) = Failed(config);
        Assert.Equal(rung, order.Rung);

        var after = StateMachine.Apply(config, s, order).State;
        var web = after.Groups["web"];
        Assert.Equal((GroupState.Stopping, "n1", reason), (web.State, web.Node, web.Reason));
        Assert.DoesNotContain(Coordinator.Decide(config, after, new PlanContext("n1", true, T0, T0)).Decisions, d => d.Message is GroupStopOrdered);
    }

    [Fact]
    public void The_node_the_group_failed_on_is_told_to_stop_it_by_the_recovery_order_itself()
    {
        var config = Config(0, 1);
        var (s, order) = Failed(config);
        var effects = LadderRun.EffectsOn(config, "n1", s, order);
        Assert.Contains(effects, e => e is Palisade.Core.Replication.StopGroupEffect { Group: "web", Reason: "recovering: a resource failed on n1" });
        Assert.Empty(LadderRun.EffectsOn(config, "n2", s, order));
    }

    [Fact]
    public void An_owner_in_standby_is_left_to_the_coordinator()
    {
        var config = Config(1, 0);
        var (s, order) = Failed(config);
        s = LadderRun.Apply(config, s, new NodeStandbyRequest("n1", true, "operator") { From = "n1", At = T0 });

        var after = StateMachine.Apply(config, s, order).State;
        Assert.NotEqual(GroupState.Stopping, after.Groups["web"].State);
    }

    [Fact]
    public void A_stop_overdue_on_a_node_taken_back_waits_for_its_probe_before_making_it_Unclean()
    {
        var config = Config(0, 1);
        var (s, order) = Failed(config);
        s = StateMachine.Apply(config, s, order).State;
        var late = T0 + StepDeadlines.Stop(config.Groups[0]) + TimeSpan.FromSeconds(1);
        var unprobed = s with { Nodes = s.Nodes.SetItem("n1", s.Nodes["n1"] with { Probed = false }) };

        var waiting = Coordinator.Decide(config, unprobed, new PlanContext("n1", true, late, late));
        Assert.DoesNotContain(waiting.Decisions, d => d.Message is NodeUnresponsive);
        Assert.Contains(waiting.Waiting, w => w.Contains("waiting for n1 to report what runs there", StringComparison.Ordinal));

        var probed = Coordinator.Decide(config, s, new PlanContext("n1", true, late, late));
        Assert.Contains(probed.Decisions, d => d.Message is NodeUnresponsive { Node: "n1" });
    }
}
