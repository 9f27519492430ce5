using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests.Safety;

/// <summary>What an operator asked of a group outlives every palisaded: it is kept on each node's disk.</summary>
public sealed class OperatorIntentTests
{
    [Fact]
    public void A_group_stopped_by_hand_stays_stopped_after_every_palisaded_restarts()
    {
        var sim = SimScenarios.RunningOnN1();
        sim.Request("n2", "web", AdminAction.Stop);
        Assert.True(sim.RunUntil(() => sim.Group("web").State == GroupState.Offline, TimeSpan.FromSeconds(10)), sim.RecentTrace());

        foreach (var n in new[] { "n1", "n2", "n3" })
        {
            sim.ProcDown(n);
        }

        sim.StartDaemon("n1", "n2", "n3");
        Assert.True(sim.RunUntil(() => sim.SyncedNodes.Count() == 3 && sim.SyncedNodes.All(n => n.State!.Nodes.Values.All(x => x.Probed)), TimeSpan.FromSeconds(60)), sim.RecentTrace());
        sim.RunFor(TimeSpan.FromSeconds(30));

        var web = sim.Group("web");
        Assert.Equal((GroupTarget.Stopped, GroupState.Offline), (web.Target, web.State));
        Assert.Equal("operator", web.TargetBy?[..8]);
        Assert.Empty(sim.World.NodesRunning("web"));
        Assert.Empty(sim.Violations);
    }

    [Fact]
    public void The_newest_intent_wins_whichever_node_reports_it()
    {
        var config = SimConfigs.ThreeNodesOneGroup();
        var t0 = SimOptions.Epoch;
        var s = ClusterState.Initial(config);
        s = StateMachine.Apply(config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        var stop = new GroupIntent("web", GroupTarget.Stopped, t0.AddMinutes(2), "operator on n2");
        var start = new GroupIntent("web", GroupTarget.Started, t0.AddMinutes(1), "operator on n1");

        s = StateMachine.Apply(config, s, new ProbeReport([], "a", [stop]) { From = "n2", At = t0 }).State;
        s = StateMachine.Apply(config, s, new ProbeReport([], "b", [start]) { From = "n1", At = t0 }).State;

        Assert.Equal((GroupTarget.Stopped, "operator on n2"), (s.Groups["web"].Target, s.Groups["web"].TargetBy));
    }
}
