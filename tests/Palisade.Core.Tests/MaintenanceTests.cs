using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>
/// <c>palisade maintenance on|off</c>: nothing is started, stopped, recovered or fenced; a palisaded may leave and come
/// back while its groups keep running; one still away when maintenance ends is fenced before its groups move.
/// </summary>
public sealed class MaintenanceTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();
    private static readonly PlanContext OnN2 = new("n2", true, T0, T0);

    private static ClusterState Apply(ClusterState s, ClusterMessage m) => StateMachine.Apply(Config, s, m).State;

    /// <summary>web Online on n1, then maintenance on.</summary>
    private static ClusterState InMaintenance()
    {
        var s = ClusterState.Initial(Config);
        s = Apply(s, new MembershipChanged([1, 2, 3], [], [1, 2, 3]));
        s = Apply(s, new ClusterSettled("test") { From = "n1", At = T0 });
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            s = Apply(s, new ProbeReport([], $"{node}-1") { From = node, At = T0 });
        }

        s = Apply(s, new GroupStartOrdered("web", "n1", "test") { From = "n1", At = T0 });
        s = Apply(s, new GroupStarted("web", "n1") { From = "n1", At = T0 });
        return Apply(s, new MaintenanceRequest(true, "operator on n3") { From = "n3", At = T0 });
    }

    /// <summary>n1's palisaded stops during maintenance without stopping web, and leaves the CPG group.</summary>
    private static ClusterState N1Left(ClusterState s)
    {
        s = Apply(s, new NodeLeaving("palisaded is stopping during maintenance") { From = "n1", At = T0 });
        return Apply(s, new MembershipChanged([2, 3], [new MemberLeft(1, LeaveReason.Leave)], []));
    }

    [Fact]
    public void A_palisaded_that_leaves_during_maintenance_with_its_group_running_is_neither_fenced_nor_replaced()
    {
        var s = N1Left(InMaintenance());

        Assert.Equal(NodeState.Unclean, s.Nodes["n1"].State);
        Assert.True(s.Nodes["n1"].LeftInMaintenance);
        Assert.Equal(("n1", GroupState.Online), (s.Groups["web"].Node, s.Groups["web"].State));
        var plan = Coordinator.Decide(Config, s, OnN2);
        Assert.Empty(plan.Decisions);
        Assert.Contains(plan.Waiting, w => w.StartsWith("n1: not fenced during maintenance", StringComparison.Ordinal));
        Assert.Contains(plan.Waiting, w => w.StartsWith("maintenance (set by operator on n3)", StringComparison.Ordinal));
    }

    [Fact]
    public void Back_during_maintenance_it_is_Online_without_a_fence_and_keeps_the_group_it_still_runs()
    {
        var s = N1Left(InMaintenance());
        s = Apply(s, new MembershipChanged([1, 2, 3], [], [1]));
        s = Apply(s, new ProbeReport(["web"], "n1-2", Fresh: true) { From = "n1", At = T0 });

        Assert.Equal(NodeState.Online, s.Nodes["n1"].State);
        Assert.False(s.Nodes["n1"].LeftInMaintenance);
        Assert.Equal(("n1", GroupState.Online), (s.Groups["web"].Node, s.Groups["web"].State));
        Assert.DoesNotContain(s.FenceHistory, r => r.Target == "n1");

        // Maintenance off: the cluster manages web again where it runs; nothing moves or is fenced.
        s = Apply(s, new MaintenanceRequest(false, "operator on n3") { From = "n3", At = T0.AddSeconds(1) });
        Assert.Empty(Coordinator.Decide(Config, s, OnN2).Decisions);
    }

    [Fact]
    public void Back_during_maintenance_with_a_group_its_probe_could_not_tell_about_that_group_is_stopped_there_once_maintenance_ends()
    {
        // Seed 21020287: the probe's monitor failed (it lied), nothing watched the group, and its crash was never seen.
        var s = N1Left(InMaintenance());
        s = Apply(s, new MembershipChanged([1, 2, 3], [], [1]));
        var restarted = Apply(s, new ProbeReport([], "n1-2", Uncertain: ["web"], Fresh: true) { From = "n1", At = T0 });
        s = Apply(s, new ProbeReport([], "n1-1", Uncertain: ["web"]) { From = "n1", At = T0 });

        // Its palisaded restarted or not, nothing is stopped while maintenance lasts.
        Assert.Equal(("n1", GroupState.Online), (restarted.Groups["web"].Node, restarted.Groups["web"].State));
        Assert.Contains("n1", restarted.Groups["web"].FailedOn);
        Assert.Equal(("n1", GroupState.Online), (s.Groups["web"].Node, s.Groups["web"].State));
        Assert.Contains("n1", s.Groups["web"].FailedOn);
        Assert.Empty(Coordinator.Decide(Config, s, new PlanContext("n1", true, T0, T0)).Decisions); // hands off while maintenance lasts

        s = Apply(s, new MaintenanceRequest(false, "operator on n3") { From = "n3", At = T0.AddSeconds(1) });
        var stop = Assert.IsType<GroupStopOrdered>(Assert.Single(Coordinator.Decide(Config, s, new PlanContext("n1", true, T0, T0)).Decisions).Message);
        Assert.Equal(("web", "n1"), (stop.Group, stop.Node));
    }

    [Fact]
    public void Still_away_when_maintenance_ends_it_is_fenced_before_its_group_is_started_elsewhere()
    {
        var s = N1Left(InMaintenance());
        s = Apply(s, new MaintenanceRequest(false, "operator on n3") { From = "n3", At = T0.AddSeconds(1) });

        var fence = Assert.IsType<FenceStarted>(Assert.Single(Coordinator.Decide(Config, s, OnN2).Decisions).Message);
        Assert.Equal("n1", fence.Target);
    }

    [Fact]
    public void Nothing_is_started_during_maintenance_and_a_stopped_group_is_started_once_it_ends()
    {
        var s = InMaintenance();
        s = Apply(s, new GroupStopOrdered("web", "n1", "test") { From = "n1", At = T0 });
        s = Apply(s, new GroupStopped("web", "n1", "gone") { From = "n1", At = T0 });
        Assert.Equal(GroupState.Offline, s.Groups["web"].State);
        Assert.Empty(Coordinator.Decide(Config, s, new PlanContext("n1", true, T0, T0)).Decisions);

        s = Apply(s, new MaintenanceRequest(false, "operator on n3") { From = "n3", At = T0.AddSeconds(1) });
        Assert.IsType<GroupStartOrdered>(Assert.Single(Coordinator.Decide(Config, s, new PlanContext("n1", true, T0, T0)).Decisions).Message);
    }

    [Fact]
    public void Maintenance_kept_on_a_disk_comes_back_with_a_probe_and_an_older_one_does_not_win()
    {
        var kept = MaintenanceIntent.Of(InMaintenance());
        Assert.Equal(new MaintenanceIntent(true, T0, "operator on n3"), kept);

        var s = Apply(ClusterState.Initial(Config), new MembershipChanged([1, 2, 3], [], [1, 2, 3]));
        s = Apply(s, new ProbeReport([]) { From = "n2", At = T0, Maintenance = kept });
        Assert.True(s.Maintenance);
        s = Apply(s, new ProbeReport([]) { From = "n3", At = T0, Maintenance = new MaintenanceIntent(false, T0.AddSeconds(-5), "operator on n1") });
        Assert.True(s.Maintenance);
        Assert.Equal(kept, MaintenanceIntent.Newer(kept, new MaintenanceIntent(false, T0.AddSeconds(-5), "x")));
    }

    [Fact]
    public void A_start_decided_before_maintenance_and_delivered_after_it_is_ignored_on_every_node()
    {
        var s = InMaintenance();
        s = Apply(s, new GroupStopOrdered("web", "n1", "test") { From = "n1", At = T0 });
        Assert.Equal(GroupState.Online, s.Groups["web"].State);

        var t = StateMachine.Apply(Config, s, new GroupStartOrdered("web", "n2", "decided before maintenance") { From = "n1", At = T0 });
        Assert.Equal(("n1", GroupState.Online), (t.State.Groups["web"].Node, t.State.Groups["web"].State));
        Assert.Contains("ignored GroupStartOrdered from n1: maintenance is on (operator on n3)", t.Notes);
    }
}
