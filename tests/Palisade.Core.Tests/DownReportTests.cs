using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Xunit;
using static Palisade.Core.Tests.LadderRun;

namespace Palisade.Core.Tests;

/// <summary>
/// The event path: the node that received a report that another is down checks it through the target's own agents
/// and publishes the answer. Only a confirmation about the life of the node the cluster lost changes anything.
/// </summary>
public sealed class DownReportTests
{
    private static readonly ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();

    private static Plan Plan(ClusterState s) => Coordinator.Decide(Config, s, new PlanContext(s.Coordinator!.Name, true, T0, T0));

    /// <summary>Formed with every node probed by a known palisaded, web Online on n1.</summary>
    private static ClusterState Running()
    {
        var s = Formed(Config);
        foreach (var n in Config.Nodes)
        {
            s = Apply(Config, s, new ProbeReport([]) { From = n.Name, At = T0, Instance = $"i-{n.Name}" });
        }

        return Settle(Config, s).State;
    }

    private static ClusterState Lost(ClusterState s, string node)
    {
        var id = Config.FindNode(node)!.Id;
        return Apply(Config, s, new MembershipChanged([.. s.Members.Remove(id)], [new MemberLeft(id, LeaveReason.NodeDown)], []));
    }

    private static NodeDownChecked Checked(string target, bool confirmed, string instance) =>
        new(target, confirmed, "1:ipmi", confirmed ? "power read back off" : "power is on", 150, instance) { From = "n2", At = T0 };

    [Fact]
    public void A_confirmation_about_the_lost_node_fences_it_without_a_fence_and_its_group_starts_elsewhere()
    {
        var s = Lost(Running(), "n1");
        Assert.Equal(NodeState.Unclean, s.Nodes["n1"].State);
        Assert.Contains(Plan(s).Decisions, d => d.Message is FenceStarted { Target: "n1" });

        s = Apply(Config, s, Checked("n1", true, "i-n1"));
        Assert.Equal(NodeState.Fenced, s.Nodes["n1"].State);
        Assert.Equal(GroupState.Offline, s.Groups["web"].State);
        var record = s.FenceHistory[^1];
        Assert.Equal((FenceResult.ConfirmedByEvent, "1:ipmi", "confirm"), (record.Result, record.Agent, record.Action));
        var decisions = Plan(s).Decisions.Select(d => d.Message).ToList();
        Assert.DoesNotContain(decisions, m => m is FenceStarted);
        Assert.Equal("n2", Assert.IsType<GroupStartOrdered>(Assert.Single(decisions)).Node);
    }

    [Fact]
    public void A_confirmation_that_arrives_while_a_fence_runs_ends_it_and_the_fence_result_is_then_ignored()
    {
        var s = Lost(Running(), "n1");
        s = Apply(Config, s, new FenceStarted("n1", "lost", "n2") { From = "n2", At = T0 });
        s = Apply(Config, s, Checked("n1", true, "i-n1"));
        Assert.Equal(NodeState.Fenced, s.Nodes["n1"].State);
        var after = Apply(Config, s, new FenceCompleted("n1", false, "1:ipmi", "BMC did not answer") { From = "n2", At = T0 });
        Assert.Equal(NodeState.Fenced, after.Nodes["n1"].State);
    }

    [Fact]
    public void An_unconfirmed_report_or_one_about_a_node_still_in_the_ring_changes_nothing()
    {
        var running = Running();
        Assert.Equal(running.Nodes, Apply(Config, running, Checked("n1", false, "i-n1")).Nodes);
        var online = Apply(Config, running, Checked("n1", true, "i-n1")); // the ring still carries n1: corosync decides
        Assert.Equal((NodeState.Online, "n1"), (online.Nodes["n1"].State, online.Groups["web"].Node));

        var lost = Lost(running, "n1");
        var refused = Apply(Config, lost, Checked("n1", false, "i-n1"));
        Assert.Equal(NodeState.Unclean, refused.Nodes["n1"].State);
        Assert.Contains(Plan(refused).Decisions, d => d.Message is FenceStarted { Target: "n1" }); // fenced as usual
    }

    [Fact]
    public void A_confirmation_about_an_earlier_life_of_the_node_changes_nothing()
    {
        var s = Lost(Running(), "n1");
        var stale = Apply(Config, s, Checked("n1", true, "i-old"));
        Assert.Equal(NodeState.Unclean, stale.Nodes["n1"].State);

        var fenced = Apply(Config, s, Checked("n1", true, "i-n1"));
        var again = Apply(Config, fenced, Checked("n1", true, "i-n1")); // duplicated
        Assert.Equal(fenced.Nodes["n1"], again.Nodes["n1"]);
        Assert.Equal(fenced.FenceHistory.Count, again.FenceHistory.Count);
    }

    [Fact]
    public void A_node_back_in_the_membership_when_the_confirmation_arrives_is_a_new_boot_waiting_for_its_probe()
    {
        var s = Lost(Running(), "n1");
        var id = Config.FindNode("n1")!.Id;
        s = Apply(Config, s, new MembershipChanged([.. s.Members.Add(id)], [], [id]));
        s = Apply(Config, s, Checked("n1", true, "i-n1"));
        Assert.Equal((NodeState.Online, false), (s.Nodes["n1"].State, s.Nodes["n1"].Probed));
        Assert.Equal(GroupState.Offline, s.Groups["web"].State);
    }

    [Fact]
    public void A_final_action_that_powers_the_node_off_and_on_is_left_to_its_fence()
    {
        var s = Running();
        s = Apply(Config, s, new FenceRequested("n1", "operator") { From = "n2", At = T0 });
        var unclean = s.Nodes["n1"] with { PowerAction = NodePowerAction.Cycle };
        s = s with { Nodes = s.Nodes.SetItem("n1", unclean) };
        s = Lost(s, "n1");
        Assert.Equal(NodeState.Unclean, Apply(Config, s, Checked("n1", true, "i-n1")).Nodes["n1"].State);
    }
}
