using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

/// <summary>An operator's confirmation that a lost node is down, as the state machine applies it.</summary>
public sealed class ConfirmDownTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();

    [Fact]
    public void A_confirm_down_of_a_member_changes_nothing()
    {
        var state = Apply(ClusterState.Initial(Config), new MembershipChanged([1, 2, 3], [], [1, 2, 3]));

        var next = StateMachine.Apply(Config, state, new NodeConfirmedDown("n1", "operator on n2") { From = "n2", At = T0 });

        Assert.Equal(NodeState.Online, next.State.Nodes["n1"].State);
        Assert.Empty(next.State.FenceHistory);
        Assert.Equal(["operator on n2 confirmed n1 down, but it is not a lost node: ignored"], next.Notes.ToArray());
    }

    [Fact]
    public void A_confirm_down_of_a_lost_node_takes_its_groups_offline_and_records_who_said_so()
    {
        var state = Apply(ClusterState.Initial(Config),
            new MembershipChanged([1, 2, 3], [], [1, 2, 3]),
            new GroupStartOrdered("web", "n1", "first") { From = "n1", At = T0 },
            new GroupStarted("web", "n1") { From = "n1", At = T0 },
            new MembershipChanged([2, 3], [new MemberLeft(1, LeaveReason.NodeDown)], []));
        Assert.Equal(NodeState.Unclean, state.Nodes["n1"].State);

        state = Apply(state, new NodeConfirmedDown("n1", "operator on n3") { From = "n3", At = T0 });

        Assert.Equal((NodeState.Fenced, "confirmed down by operator on n3"), (state.Nodes["n1"].State, state.Nodes["n1"].Reason));
        Assert.Equal((GroupState.Offline, null), (state.Groups["web"].State, state.Groups["web"].Node));
        var record = Assert.Single(state.FenceHistory);
        Assert.Equal(("operator on n3", "n1", "confirm-down", FenceResult.ConfirmedByOperator), (record.By, record.Target, record.Action, record.Result));
    }

    private static ClusterState Apply(ClusterState state, params ClusterMessage[] messages) =>
        messages.Aggregate(state, (s, m) => StateMachine.Apply(Config, s, m).State);
}
