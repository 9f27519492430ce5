using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Palisade.Daemon.Alerts;
using Xunit;
using static Palisade.Daemon.Tests.Alerts.AlertTestCluster;

namespace Palisade.Daemon.Tests.Alerts;

/// <summary>Events from state changes: kinds, fields, the owner and the cluster-wide sequence.</summary>
public sealed class AlertDerivationTests
{
    [Fact]
    public void A_lost_node_fenced_and_its_group_started_elsewhere_gives_node_fencing_and_resource_events_in_order()
    {
        var before = Running(10);
        var lost = before.WithNode("n1", NodeState.Unclean, member: false).Next();
        var lostEvents = AlertDerivation.Derive(Config, before, lost, T0);
        var node = Assert.Single(lostEvents);
        Assert.Equal((10_000 + 1000L, AlertKind.Node, "n1", 1u, "lost", "n2"), (node.Sequence, node.Kind, node.Node, node.NodeId, node.Description, node.Owner));

        var fenced = lost.WithNode("n1", NodeState.Fenced, member: false) with
        {
            FenceHistory = [Fence("n1", "n2", FenceResult.Worked)],
            Groups = lost.Groups.SetItem("web", lost.Groups["web"] with { Node = "n2" }),
        };
        fenced = fenced.Next();
        var events = AlertDerivation.Derive(Config, lost, fenced, T0);
        Assert.Equal(["node n1 fenced", "fencing n1 off", "resource n2 start", "resource n2 start"],
            events.Select(e => $"{e.KindName} {e.Node} {(e.Kind == AlertKind.Node ? e.Description : e.Field("task"))}").ToArray());
        Assert.Equal([12_000L, 12_001, 12_002, 12_003], events.Select(e => e.Sequence).ToArray());
        var fence = events[1];
        Assert.Equal(("off", "0", "n2", "1:ipmi", "Worked"), (fence.Field("task"), fence.Field("rc"), fence.Field("by"), fence.Field("agent"), fence.Field("result")));
        Assert.Contains("Operation off of n1 by n2 with 1:ipmi: Worked", fence.Description, StringComparison.Ordinal);
        Assert.Equal(["web/svc", "web/vip"], events.Skip(2).Select(e => e.Field("rsc")).ToArray());
        Assert.All(events, e => Assert.Equal("n2", e.Owner));
    }

    [Fact]
    public void Every_node_derives_the_same_events_and_sequences_from_the_same_change()
    {
        var before = Running(41);
        var after = (before.WithNode("n3", NodeState.Unclean, member: false) with { FenceHistory = [Fence("n3", "n1", FenceResult.Failed)] }).Next();

        var one = AlertDerivation.Derive(Config, before, after, T0);
        var other = AlertDerivation.Derive(Config, before, after, T0.AddSeconds(1));

        Assert.Equal(one.Select(e => (e.Sequence, e.Kind, e.Node, e.Description, e.Owner)), other.Select(e => (e.Sequence, e.Kind, e.Node, e.Description, e.Owner)));
        Assert.Equal("1", one.Single(e => e.Kind == AlertKind.Fencing).Field("rc"));
    }

    [Fact]
    public void A_failed_monitor_is_a_resource_failure_with_its_interval_and_a_monitor_status_is_an_attribute()
    {
        var before = Running(5);
        var failed = before with
        {
            Version = 6,
            Groups = before.Groups.SetItem("web", before.Groups["web"] with { Resources = before.Groups["web"].Resources.SetItem("vip", ResourceState.Failed) }),
            Monitors = before.Monitors.SetItem("web/vip", new MonitorStatus
            {
                Name = "web/vip",
                Nodes = System.Collections.Immutable.ImmutableSortedDictionary<string, MonitorOnNode>.Empty.Add("n1", new MonitorOnNode { Health = MonitorHealth.Error, Reason = "exit 1" }),
            }),
        };

        var events = AlertDerivation.Derive(Config, before, failed, T0);

        var resource = events.Single(e => e.Kind == AlertKind.Resource);
        Assert.Equal(("monitor", "web/vip", "n1", "1", "5000", "error"), (resource.Field("task"), resource.Field("rsc"), resource.Node, resource.Field("rc"), resource.Field("interval"), resource.Description));
        var attribute = events.Single(e => e.Kind == AlertKind.Attribute);
        Assert.Equal(("monitor-web/vip", "error", "n1"), (attribute.Field("attribute_name"), attribute.Field("attribute_value"), attribute.Node));
    }

    [Fact]
    public void A_change_that_changes_nothing_alerts_nothing_and_merged_fence_records_are_not_fencing_events()
    {
        var before = Running(3);
        Assert.Empty(AlertDerivation.Derive(Config, before, before.Next(), T0));

        var merged = (before with { FenceHistory = [Fence("n2", "n1", FenceResult.Worked)] }).Next();
        Assert.Empty(AlertDerivation.Derive(Config, before, merged, T0, fencing: false));
        Assert.Single(AlertDerivation.Derive(Config, before, merged, T0));
    }

    [Fact]
    public void The_owner_is_the_coordinator_after_the_change()
    {
        var s = Running(1);
        Assert.Equal("n1", AlertDerivation.OwnerOf(s));
        Assert.Equal("n2", AlertDerivation.OwnerOf(s.WithNode("n1", NodeState.Unclean, member: false)));
        Assert.Equal("n3", AlertDerivation.OwnerOf(s.WithNode("n1", NodeState.Fenced, member: false).WithNode("n2", NodeState.Offline, member: false)));
    }
}
