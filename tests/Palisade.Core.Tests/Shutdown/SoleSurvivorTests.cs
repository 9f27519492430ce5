using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

/// <summary>An Unclean node left alone: nobody can fence it, and every other node is known to run nothing.</summary>
public sealed class SoleSurvivorTests
{
    private static readonly Configuration.ClusterConfig Config = TestConfigs.Cluster(2, TestConfigs.Group("web", "n1", "n2"));
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;

    /// <summary>n2 was made Unclean by n1 (its stop overdue) and reported; then n1 was lost.</summary>
    private static ClusterState UncleanN2WithN1Lost()
    {
        var s = ClusterState.Initial(Config);
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2], [], [1, 2])).State;
        s = StateMachine.Apply(Config, s, new NodeUnresponsive("n2", "stop of web overdue") { From = "n1", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new ProbeReport([], "n2-1") { From = "n2", At = T0 }).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([2], [new MemberLeft(1, LeaveReason.NodeDown)], [])).State;
        Assert.Equal((NodeState.Unclean, NodeState.Unclean, "n2"), (s.Nodes["n1"].State, s.Nodes["n2"].State, s.Coordinator?.Name));
        return s;
    }

    private static Plan Decide(ClusterState s) => Coordinator.Decide(Config, s, new PlanContext("n2", true, T0.AddSeconds(5), T0));

    [Fact]
    public void Once_the_other_node_is_fenced_the_Unclean_survivor_clears_itself_and_probes_again()
    {
        var s = UncleanN2WithN1Lost();
        Assert.DoesNotContain(Decide(s).Decisions, d => d.Message is NodeCleared); // n1 may still run web

        s = StateMachine.Apply(Config, s, new FenceStarted("n1", "lost", "n2") { From = "n2", At = T0.AddSeconds(1) }).State;
        s = StateMachine.Apply(Config, s, new FenceCompleted("n1", true, "1:ipmi", "power is off") { From = "n2", At = T0.AddSeconds(2) }).State;
        var clear = Assert.Single(Decide(s).Decisions, d => d.Message is NodeCleared).Message;
        s = StateMachine.Apply(Config, s, clear).State;

        Assert.Equal((NodeState.Online, false), (s.Nodes["n2"].State, s.Nodes["n2"].Probed));
    }

    [Fact]
    public void A_node_clears_only_itself_and_only_while_every_other_node_is_known_down()
    {
        var s = UncleanN2WithN1Lost();

        var early = StateMachine.Apply(Config, s, new NodeCleared("n2", "claimed") { From = "n2", At = T0.AddSeconds(3) }).State;

        Assert.Equal(NodeState.Unclean, early.Nodes["n2"].State);
        Assert.NotNull(SenderCheck.Problem(Config, 1, new NodeCleared("n2", "for another") { From = "n1", At = T0 }));
    }
}
