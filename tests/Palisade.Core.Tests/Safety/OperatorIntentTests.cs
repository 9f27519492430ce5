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

    [Fact]
    public void A_command_stamped_by_a_slower_clock_still_counts_as_newer_than_the_one_it_overrides()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var t0 = TestConfigs.Epoch;
        var s = ClusterState.Initial(config);
        s = StateMachine.Apply(config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;

        // n1's clock runs 30 s ahead: its start is stamped later than n2's stop, which came after it.
        s = StateMachine.Apply(config, s, new AdminRequest("web", AdminAction.Start, null, "operator on n1") { From = "n1", At = t0.AddSeconds(30) }).State;
        s = StateMachine.Apply(config, s, new AdminRequest("web", AdminAction.Stop, null, "operator on n2") { From = "n2", At = t0.AddSeconds(10) }).State;
        var kept = GroupIntent.Merge([new GroupIntent("web", GroupTarget.Started, t0.AddSeconds(30), "operator on n1")], GroupIntent.Of(s));

        Assert.Equal(GroupTarget.Stopped, s.Groups["web"].Target);
        Assert.True(s.Groups["web"].TargetSince > t0.AddSeconds(30));
        Assert.Equal((GroupTarget.Stopped, "operator on n2"), (kept.Single().Target, kept.Single().By));
    }
}
