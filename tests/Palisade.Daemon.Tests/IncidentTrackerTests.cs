using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Daemon.Api;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>Failover timelines from the state changes a node applies: phases in order, with this node's times.</summary>
public sealed class IncidentTrackerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);

    private static readonly ClusterConfig Config = new()
    {
        Name = "three",
        Totem = new TotemConfig(),
        Nodes = [.. Enumerable.Range(1, 3).Select(i => new NodeConfig { Name = $"n{i}", Id = (uint)i, Interconnect = [$"198.18.0.{10 + i}"] })],
        Groups = [new GroupConfig { Name = "web", Nodes = ["n1", "n2", "n3"], Resources = [new ResourceConfig { Name = "hello", Kind = ResourceKind.Exec }] }],
    };

    /// <summary>Feeds messages through the state machine and the tracker, one every <paramref name="stepMs"/> ms.</summary>
    private sealed class Run(IncidentTracker tracker)
    {
        public ClusterState State { get; private set; } = ClusterState.Initial(Config);

        public DateTimeOffset Now { get; set; } = T0;

        public void Apply(ClusterMessage message, int afterMs = 0)
        {
            Now = Now.AddMilliseconds(afterMs);
            var before = State;
            State = StateMachine.Apply(Config, before, message).State;
            tracker.Observe(before, State, message, Now);
        }
    }

    private static Run WebOnlineOnN1(IncidentTracker tracker)
    {
        var run = new Run(tracker);
        run.Apply(new MembershipChanged([1, 2, 3], [], [1, 2, 3]));
        run.Apply(new ClusterSettled("test") { From = "n1", At = T0 });
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            run.Apply(new ProbeReport([]) { From = node, At = T0 });
        }

        run.Apply(new GroupStartOrdered("web", "n1", "test") { From = "n1", At = T0 });
        run.Apply(new GroupStarted("web", "n1") { From = "n1", At = T0 });
        return run;
    }

    [Fact]
    public void A_lost_node_opens_an_incident_whose_phases_follow_the_failover_and_it_closes_when_the_group_runs_elsewhere()
    {
        var tracker = new IncidentTracker();
        var run = WebOnlineOnN1(tracker);
        Assert.Empty(tracker.Snapshot());

        run.Apply(new MembershipChanged([2, 3], [new MemberLeft(1, LeaveReason.NodeDown)], []), 10);
        run.Apply(new FenceStarted("n1", "n1 is Unclean", "n2") { From = "n2", At = T0 }, 5);
        run.Apply(new FenceCompleted("n1", true, "ipmi", "powered off") { From = "n2", At = T0 }, 400);
        run.Apply(new GroupStartOrdered("web", "n2", "first healthy node") { From = "n2", At = T0 }, 3);
        run.Apply(new ResourceReport("web", "hello", "n2", ResourceState.Started, "started") { From = "n2", At = T0 }, 50);
        Assert.Null(Assert.Single(tracker.Snapshot()).Closed);
        run.Apply(new GroupStarted("web", "n2") { From = "n2", At = T0 }, 2);

        var incident = Assert.Single(tracker.Snapshot());
        Assert.Equal((IncidentKind.Node, "n1"), (incident.Kind, incident.Subject));
        Assert.Equal<string>(["web"], incident.Groups);
        Assert.Equal(["detected", "membership", "fence_requested", "fence_confirmed", "start_ordered", "resource_started", "online"], incident.Phases.Select(p => p.Phase));
        Assert.Equal([0, 0, 5, 405, 408, 458, 460], incident.Phases.Select(p => (int)(p.At - incident.Detected).TotalMilliseconds));
        Assert.Equal("recovered: web Online on n2", incident.Outcome);
        Assert.Equal(TimeSpan.FromMilliseconds(460), incident.Duration);

        var online = tracker.PhaseHistograms().Single(h => h.Phase == "online").Seconds;
        Assert.Equal((1L, 0.46), (online.Count, Math.Round(online.Sum, 3)));
        Assert.Equal(1, online.Cumulative[Array.IndexOf([.. IncidentTracker.Buckets], 0.5)]);
        Assert.Equal(0, online.Cumulative[Array.IndexOf([.. IncidentTracker.Buckets], 0.25)]);
    }

    [Fact]
    public void A_failed_resource_opens_a_group_incident_that_closes_once_the_group_is_online_again()
    {
        var tracker = new IncidentTracker();
        var run = WebOnlineOnN1(tracker);

        run.Apply(new ResourceFailed("web", "hello", "n1", "monitor: not running") { From = "n1", At = T0 }, 10);
        run.Apply(new GroupStopOrdered("web", "n1", "recovering") { From = "n1", At = T0 }, 2);
        run.Apply(new GroupStopped("web", "n1", "stopped") { From = "n1", At = T0 }, 20);
        run.Apply(new GroupStartOrdered("web", "n2", "next node") { From = "n1", At = T0 }, 2);
        run.Apply(new GroupStarted("web", "n2") { From = "n2", At = T0 }, 30);

        var incident = Assert.Single(tracker.Snapshot());
        Assert.Equal((IncidentKind.Group, "web"), (incident.Kind, incident.Subject));
        Assert.Equal(["detected", "stop_ordered", "stopped", "start_ordered", "online"], incident.Phases.Select(p => p.Phase));
        Assert.Equal("recovered: web Online on n2", incident.Outcome);
        Assert.Empty(tracker.PhaseHistograms());
    }

    [Fact]
    public void An_incident_that_never_ends_is_closed_as_unfinished()
    {
        var tracker = new IncidentTracker(TimeSpan.FromSeconds(30));
        var run = WebOnlineOnN1(tracker);
        run.Apply(new MembershipChanged([2, 3], [new MemberLeft(1, LeaveReason.NodeDown)], []), 10);
        run.Apply(new StateDigest(1, "x") { From = "n2", At = T0 }, 31_000);
        run.Apply(new ShutdownDaemonChanged(true, "test") { From = "n2", At = T0 }, 1);

        var incident = Assert.Single(tracker.Snapshot());
        Assert.Equal("unfinished after 30 s", incident.Outcome);
        Assert.Equal(["detected", "membership"], incident.Phases.Select(p => p.Phase));
    }
}
