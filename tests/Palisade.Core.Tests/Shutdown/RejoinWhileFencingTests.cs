using Palisade.Core.Messages;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

/// <summary>A node powered on again so fast that it rejoins before its fence's result is delivered.</summary>
public sealed class RejoinWhileFencingTests
{
    [Fact]
    public void A_node_that_rejoined_while_its_fence_ran_is_Online_once_the_fence_is_confirmed_and_waits_for_its_probe()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var t0 = TestConfigs.Epoch;
        var s = ClusterState.Initial(config);
        s = StateMachine.Apply(config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        s = StateMachine.Apply(config, s, new MembershipChanged([2, 3], [new MemberLeft(1, LeaveReason.NodeDown)], [])).State;
        Assert.Equal(NodeState.Unclean, s.Nodes["n1"].State);

        s = StateMachine.Apply(config, s, new FenceStarted("n1", "lost", "n2") { From = "n2", At = t0 }).State;
        s = StateMachine.Apply(config, s, new MembershipChanged([1, 2, 3], [], [1])).State;
        Assert.Equal(NodeState.Fencing, s.Nodes["n1"].State);
        s = StateMachine.Apply(config, s, new FenceCompleted("n1", true, "1:ipmi", "confirmed off") { From = "n2", At = t0.AddSeconds(2) }).State;

        Assert.Equal(NodeState.Online, s.Nodes["n1"].State);
        Assert.False(s.Nodes["n1"].Probed);
    }

    [Fact]
    public void A_node_that_stayed_away_while_its_fence_ran_is_Fenced()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var t0 = TestConfigs.Epoch;
        var s = ClusterState.Initial(config);
        s = StateMachine.Apply(config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        s = StateMachine.Apply(config, s, new MembershipChanged([2, 3], [new MemberLeft(1, LeaveReason.NodeDown)], [])).State;

        s = StateMachine.Apply(config, s, new FenceStarted("n1", "lost", "n2") { From = "n2", At = t0 }).State;
        s = StateMachine.Apply(config, s, new FenceCompleted("n1", true, "1:ipmi", "confirmed off") { From = "n2", At = t0.AddSeconds(2) }).State;

        Assert.Equal(NodeState.Fenced, s.Nodes["n1"].State);
    }
}
