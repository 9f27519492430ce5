using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Safety;

/// <summary>One lost report must not block the cluster: every step in flight has a deadline, and reports are sent again.</summary>
public sealed class StepDeadlineTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();

    private static ClusterState Apply(ClusterState s, params ClusterMessage[] messages) =>
        messages.Aggregate(s, (state, m) => StateMachine.Apply(Config, state, m).State);

    private static ClusterState Formed() => Apply(
        ClusterState.Initial(Config),
        new MembershipChanged([1, 2, 3], [], [1, 2, 3]),
        new ClusterSettled("test") { From = "n1", At = T0 },
        new ProbeReport([]) { From = "n1", At = T0 },
        new ProbeReport([]) { From = "n2", At = T0 },
        new ProbeReport([]) { From = "n3", At = T0 });

    private static Plan Decide(ClusterState s, TimeSpan after) => Coordinator.Decide(Config, s, new PlanContext("n1", true, T0 + after, T0));

    [Fact]
    public void A_start_with_no_report_past_its_deadline_is_stopped_where_it_was_ordered()
    {
        var s = Apply(Formed(), new GroupStartOrdered("web", "n2", "test") { From = "n1", At = T0 });
        var deadline = StepDeadlines.Start(Config.Groups[0]);
        Assert.Equal(TimeSpan.FromSeconds(150), deadline); // 2 x (30 s start + 30 s stop) + 30 s

        Assert.Empty(Decide(s, deadline).Decisions);
        var stop = Assert.Single(Decide(s, deadline + TimeSpan.FromSeconds(1)).Decisions);
        Assert.Equal(new GroupStopOrdered("web", "n2", "start on n2 overdue (no report within 150s): stopping it there"), stop.Message with { From = "", At = default });
    }

    [Fact]
    public void A_stop_with_no_report_past_its_deadline_makes_the_node_Unclean_and_it_is_fenced()
    {
        var s = Apply(Formed(),
            new GroupStartOrdered("web", "n2", "test") { From = "n1", At = T0 },
            new GroupStarted("web", "n2") { From = "n2", At = T0 },
            new GroupStopOrdered("web", "n2", "test") { From = "n1", At = T0 });
        var late = StepDeadlines.Stop(Config.Groups[0]) + TimeSpan.FromSeconds(1);

        var decision = Assert.Single(Decide(s, late).Decisions);
        var unresponsive = Assert.IsType<NodeUnresponsive>(decision.Message);
        Assert.Equal(("n2", "stop of web overdue (no report within 90s): it may still run it"), (unresponsive.Node, unresponsive.Reason));

        s = Apply(s, unresponsive);
        Assert.Equal(NodeState.Unclean, s.Nodes["n2"].State);
        Assert.Equal("fence:n2", Assert.Single(Decide(s, late).Decisions).Key);
    }

    [Fact]
    public void A_fence_with_no_result_past_the_chain_timeout_is_started_again()
    {
        var s = Apply(Formed(),
            new MembershipChanged([1, 2], [new MemberLeft(3, LeaveReason.NodeDown)], []),
            new FenceStarted("n3", "lost", "n2") { From = "n1", At = T0 });
        var deadline = StepDeadlines.Fence(Config.Nodes[2]);

        Assert.Empty(Decide(s, deadline).Decisions);
        var again = Assert.IsType<FenceStarted>(Assert.Single(Decide(s, deadline + TimeSpan.FromSeconds(1)).Decisions).Message);
        Assert.Equal("fencing of n3 by n2 is overdue (no result within 50s); fencing again", again.Reason);
    }

    [Fact]
    public void A_report_is_sent_again_until_the_state_shows_it_applied()
    {
        var retry = new ReportRetry();
        var s = Apply(Formed(), new GroupStartOrdered("web", "n2", "test") { From = "n1", At = T0 });
        var started = new GroupStarted("web", "n2") { From = "n2", At = T0 };
        retry.Sent(started, T0);

        Assert.Empty(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(1)));
        Assert.Empty(retry.Due(s, "n2", _ => true, T0 + TimeSpan.FromSeconds(3))); // a job still runs: not yet
        var again = Assert.Single(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(3)));
        Assert.Equal(started with { At = T0 + TimeSpan.FromSeconds(3) }, again);
        Assert.Empty(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(4))); // paced

        s = Apply(s, again);
        Assert.Empty(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_stop_made_on_losing_quorum_is_sent_again_while_the_state_still_shows_the_group_online_here()
    {
        var retry = new ReportRetry();
        var s = Apply(Formed(), new GroupStartOrdered("web", "n2", "test") { From = "n1", At = T0 });
        s = Apply(s, new GroupStarted("web", "n2") { From = "n2", At = T0 });
        var stopped = new GroupStopped("web", "n2", "stopped on n2: this node lost quorum") { From = "n2", At = T0 };
        retry.Sent(stopped, T0); // the send failed: the state still has web Online on n2

        var again = Assert.Single(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(3)));
        s = Apply(s, again);
        Assert.Equal(GroupState.Offline, s.Groups["web"].State);
        Assert.Empty(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_failed_start_whose_roll_back_could_not_stop_is_sent_again_while_the_state_shows_it_starting()
    {
        // Seed 9017383: the report of a start that failed, then a stop that timed out, was refused (TRY_AGAIN); the
        // state showed the group Starting on n2 for good, and nothing was ever fenced or placed.
        var retry = new ReportRetry();
        var s = Apply(Formed(), new GroupStartOrdered("web", "n2", "test") { From = "n1", At = T0 });
        var failed = new GroupStopFailed("web", "n2", "start failed (x), then stop of app timed out") { From = "n2", At = T0 };
        retry.Sent(failed, T0);

        var again = Assert.Single(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(3)));
        s = Apply(s, again);
        Assert.NotEqual(GroupState.Starting, s.Groups["web"].State);
        Assert.Empty(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void A_resource_failure_found_before_the_start_was_applied_waits_for_it_and_is_sent_once_the_group_is_online()
    {
        // Seed 13015493: the start's report and then the failure's were refused by a busy ring; the start was sent
        // again and applied, but the failure had been dropped as "overtaken" while the state showed the group
        // Starting, so the group stayed Online with nothing running.
        var retry = new ReportRetry();
        var s = Apply(Formed(), new GroupStartOrdered("web", "n2", "test") { From = "n1", At = T0 });
        var failed = new ResourceFailed("web", "app", "n2", "monitor: NotRunning") { From = "n2", At = T0 };
        retry.Sent(failed, T0);

        Assert.Empty(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(3)));
        s = Apply(s, new GroupStarted("web", "n2") { From = "n2", At = T0 + TimeSpan.FromSeconds(4) });
        var again = Assert.IsType<ResourceFailed>(Assert.Single(retry.Due(s, "n2", _ => false, T0 + TimeSpan.FromSeconds(5))));
        Assert.Equal("app", again.Resource);
    }
}
