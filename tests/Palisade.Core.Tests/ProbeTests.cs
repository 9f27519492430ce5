using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>What a node reports it runs when it gains the state decides where groups are, and blocks placement until then.</summary>
public sealed class ProbeTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();

    private static ClusterState Formed()
    {
        var s = ClusterState.Initial(Config);
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        return StateMachine.Apply(Config, s, new ClusterSettled("test") { From = "n1", At = T0 }).State;
    }

    private static ClusterState Probe(ClusterState s, string node, params string[] running) =>
        StateMachine.Apply(Config, s, new ProbeReport([.. running]) { From = node, At = T0 }).State;

    private static Plan Decide(ClusterState s) => Coordinator.Decide(Config, s, new PlanContext("n1", true, T0, T0));

    [Fact]
    public void Nothing_is_placed_until_every_healthy_member_has_reported()
    {
        var s = Probe(Probe(Formed(), "n1"), "n3");

        Assert.Empty(Decide(s).Decisions);
        Assert.Equal(["group web: waiting for n2 to report what runs there"], Decide(s).Waiting.ToArray());

        var start = Assert.Single(Decide(Probe(s, "n2")).Decisions);
        Assert.Equal(new GroupStartOrdered("web", "n1", "n1 is the first healthy node of [n1, n2, n3]"), start.Message with { From = "", At = default });
    }

    [Fact]
    public void A_group_found_running_where_the_cluster_thought_it_stopped_is_adopted_there()
    {
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2", "web"), "n3");

        var web = s.Groups["web"];
        Assert.Equal((GroupState.Online, "n2"), (web.State, web.Node));
        Assert.Equal("found running on n2 when it joined", web.Reason);
        Assert.All(s.Nodes.Values, n => Assert.Equal((NodeState.Online, true), (n.State, n.Probed)));
        Assert.Empty(Decide(s).Decisions); // stays where it runs: no failback, no second start
    }

    [Fact]
    public void A_group_found_running_a_second_time_makes_that_node_Unclean_and_it_is_fenced()
    {
        var s = Probe(Probe(Probe(Formed(), "n1", "web"), "n2"), "n3", "web");

        Assert.Equal(("Online", "n1"), (s.Groups["web"].State.ToString(), s.Groups["web"].Node));
        var n3 = s.Nodes["n3"];
        Assert.Equal((NodeState.Unclean, "runs web (Online on n1) a second time"), (n3.State, n3.Reason));
        var fence = Assert.Single(Decide(s).Decisions);
        Assert.Equal("fence:n3", fence.Key);
    }

    [Fact]
    public void A_node_that_joins_again_must_report_again()
    {
        var s = Probe(Probe(Probe(Formed(), "n1"), "n2"), "n3");
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2], [new MemberLeft(3, LeaveReason.Leave)], [])).State;
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [3])).State;

        Assert.False(s.Nodes["n3"].Probed);
        Assert.True(s.Nodes["n1"].Probed);
    }
}
