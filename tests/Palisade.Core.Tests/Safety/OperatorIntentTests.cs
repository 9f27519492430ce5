using Palisade.Core.Messages;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Safety;

/// <summary>
/// What an operator asked of a group outlives every palisaded: it is kept on each node's disk and reported in its
/// probe; the newest intent wins. (Across restarts of the real host: the simulation's SafetyScenarioTests.)
/// </summary>
public sealed class OperatorIntentTests
{
    [Fact]
    public void The_newest_intent_wins_whichever_node_reports_it()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var t0 = TestConfigs.Epoch;
        var s = ClusterState.Initial(config);
        s = StateMachine.Apply(config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        var stop = new GroupIntent("web", GroupTarget.Stopped, t0.AddMinutes(2), "operator on n2");
        var start = new GroupIntent("web", GroupTarget.Started, t0.AddMinutes(1), "operator on n1");

        s = StateMachine.Apply(config, s, new ProbeReport([], "a", [stop]) { From = "n2", At = t0 }).State;
        s = StateMachine.Apply(config, s, new ProbeReport([], "b", [start]) { From = "n1", At = t0 }).State;

        Assert.Equal((GroupTarget.Stopped, "operator on n2"), (s.Groups["web"].Target, s.Groups["web"].TargetBy));
    }
}
