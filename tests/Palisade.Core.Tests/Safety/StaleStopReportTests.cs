using Palisade.Core.Messages;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Safety;

/// <summary>Two stops of one group ran on a node (one from before a merge, one after); the start ordered in between must not be undone.</summary>
public sealed class StaleStopReportTests
{
    [Fact]
    public void A_stop_reported_while_a_start_is_ordered_on_that_node_leaves_the_start_in_place()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var t0 = TestConfigs.Epoch;
        var s = ClusterState.Initial(config);
        s = StateMachine.Apply(config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        foreach (var n in new[] { "n1", "n2", "n3" })
        {
            s = StateMachine.Apply(config, s, new ProbeReport([]) { From = n, At = t0 }).State;
        }

        s = StateMachine.Apply(config, s, new GroupStartOrdered("web", "n1", "first healthy node") { From = "n1", At = t0 }).State;
        Assert.Equal((GroupState.Starting, "n1"), (s.Groups["web"].State, s.Groups["web"].Node));

        s = StateMachine.Apply(config, s, new GroupStopped("web", "n1", "an older stop finished") { From = "n1", At = t0.AddSeconds(1) }).State;

        Assert.Equal((GroupState.Starting, "n1"), (s.Groups["web"].State, s.Groups["web"].Node));
        s = StateMachine.Apply(config, s, new GroupStarted("web", "n1") { From = "n1", At = t0.AddSeconds(2) }).State;
        Assert.Equal(GroupState.Online, s.Groups["web"].State);
        s = StateMachine.Apply(config, s, new GroupStopped("web", "n1", "palisaded is shutting down") { From = "n1", At = t0.AddSeconds(3) }).State;
        Assert.Equal(GroupState.Offline, s.Groups["web"].State); // a stop of a group that runs still counts
    }
}
