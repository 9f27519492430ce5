using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Safety;

/// <summary>A report is believed only from the node it speaks for, a decision only from the coordinator.</summary>
public sealed class SenderCheckTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();

    public static TheoryData<ClusterMessage, string?> Cases => new()
    {
        { new GroupStopped("web", "n1", "stopped") { From = "n1" }, null },
        { new GroupStopped("web", "n1", "stopped") { From = "n2" }, "GroupStopped says it is from 'n2' but n1 sent it" },
        { new GroupStarted("web", "n2") { From = "n1" }, "GroupStarted from n1 reports for n2: a node reports only for itself" },
        { new ResourceReport("web", "ip", "n3", ResourceState.Started, "") { From = "n1" }, "ResourceReport from n1 reports for n3: a node reports only for itself" },
        { new GroupStopFailed("web", "n2", "x") { From = "n1" }, "GroupStopFailed from n1 reports for n2: a node reports only for itself" },
        { new ResourceFailed("web", "ip", "n2", "x") { From = "n1" }, "ResourceFailed from n1 reports for n2: a node reports only for itself" },
        { new GroupStartFailed("web", "n2", "x") { From = "n1" }, "GroupStartFailed from n1 reports for n2: a node reports only for itself" },
        { new NoState(2, "x") { From = "n1" }, "NoState from n1 reports for n2: a node reports only for itself" },
        { new MembershipChanged([1], [], []), "MembershipChanged comes from corosync, never from a node" },
        { new AdminRequest("web", AdminAction.Stop, null, "operator on n1") { From = "n1" }, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_message_is_checked_against_its_corosync_sender(ClusterMessage message, string? problem) =>
        Assert.Equal(problem, SenderCheck.Problem(Config, 1, message));

    [Fact]
    public void An_unknown_sender_is_refused() =>
        Assert.Equal("sender node id 9 is not in the configuration", SenderCheck.Problem(Config, 9, new GroupStopped("web", "n1", "") { From = "n1" }));

    [Fact]
    public void A_replica_drops_a_stop_report_sent_for_another_node()
    {
        var replica = new Replica(Config, "n2");
        replica.Deliver(new MembershipChanged([1, 2, 3], [], [1, 2, 3]), T0);
        replica.Deliver(new ClusterSettled("test") { From = "n1", At = T0 }, T0);
        foreach (var n in new[] { "n1", "n2", "n3" })
        {
            replica.Deliver(new ProbeReport([]) { From = n, At = T0 }, T0);
        }

        replica.Deliver(new GroupStartOrdered("web", "n1", "test") { From = "n1", At = T0 }, T0);
        replica.Deliver(new GroupStarted("web", "n1") { From = "n1", At = T0 }, T0);

        var forged = replica.DeliverFrom(3, new GroupStopped("web", "n1", "forged") { From = "n3", At = T0 }, T0);

        Assert.Equal(["refused a message: GroupStopped from n3 reports for n1: a node reports only for itself"], forged.Notes.ToArray());
        Assert.Equal((GroupState.Online, "n1"), (replica.State!.Groups["web"].State, replica.State.Groups["web"].Node));
    }

    [Fact]
    public void A_decision_from_a_node_that_is_not_the_coordinator_is_ignored()
    {
        var s = ClusterState.Initial(Config);
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        var t = StateMachine.Apply(Config, s, new ClusterSettled("stale") { From = "n2", At = T0 });

        Assert.False(t.State.Settled);
        Assert.Equal(["ignored ClusterSettled from n2: only the coordinator (n1) decides"], t.Notes.ToArray());
    }

    [Fact]
    public void A_fence_result_from_a_node_not_fencing_the_target_is_ignored()
    {
        var s = ClusterState.Initial(Config);
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2], [new MemberLeft(3, LeaveReason.NodeDown)], [])).State;
        s = StateMachine.Apply(Config, s, new FenceStarted("n3", "lost", "n1") { From = "n1", At = T0 }).State;

        var t = StateMachine.Apply(Config, s, new FenceCompleted("n3", true, "x", "says so") { From = "n2", At = T0 });

        Assert.Equal(NodeState.Fencing, t.State.Nodes["n3"].State);
        Assert.Equal(["ignored the fence result for n3 from n2: n1 is fencing it"], t.Notes.ToArray());
    }
}
