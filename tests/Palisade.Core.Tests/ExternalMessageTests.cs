using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>Messages from a node's hardware or management layer: what is refused, and which external monitors they trip.</summary>
public sealed class ExternalMessageTests
{
    private static readonly DateTimeOffset T0 = LadderRun.T0;
    private static readonly string[] Nodes = ["n1", "n2", "n3"];

    private static ExternalNotice Notice(string category = "NIC", string? keyword = "eth1", NoticeSeverity severity = NoticeSeverity.Error, string? node = null, string id = "m1") =>
        new(category, keyword, severity, "link down", "test", node, id);

    [Theory]
    [InlineData("DISK", "eth1", null, "category 'DISK' is not known (known: NIC, FC, HA/SS, HA/AM, HA/RS, SPS, NODE, APP)")]
    [InlineData("", "eth1", null, "category is required")]
    [InlineData("NIC", "eth1", "n9", "node 'n9' is not a node of this cluster (nodes: n1, n2, n3)")]
    [InlineData("NIC", "eth\u0001", null, "keyword contains control characters")]
    [InlineData("NIC", "bad\uD800", null, "keyword is not valid UTF-8 text")]
    public void A_message_that_breaks_a_rule_is_refused_with_the_reason(string category, string keyword, string? node, string problem)
    {
        Assert.Equal(problem, ExternalNoticeRules.Problem(Notice(category, keyword, node: node), [.. ExternalNoticeRules.BuiltInCategories, "APP"], Nodes));
    }

    [Fact]
    public void Sizes_are_counted_in_bytes_and_a_good_message_passes()
    {
        var categories = ExternalNoticeRules.BuiltInCategories;
        Assert.Null(ExternalNoticeRules.Problem(Notice(keyword: new string('k', 1023)), categories, Nodes));
        Assert.Equal("keyword is 1024 bytes long (at most 1023)", ExternalNoticeRules.Problem(Notice(keyword: new string('k', 1024)), categories, Nodes));
        Assert.Equal("keyword is 1026 bytes long (at most 1023)", ExternalNoticeRules.Problem(Notice(keyword: new string('k', 1020) + "ééé"), categories, Nodes));
        Assert.Equal("id is required", ExternalNoticeRules.Problem(Notice(id: ""), categories, Nodes));
    }

    private static ClusterConfig Config(string? keyword, RecoveryConfig? recovery = null) =>
        TestConfigs.ThreeNodesOneGroup() with
        {
            Monitors = [new MonitorConfig { Name = "link", Kind = MonitorKind.External, Target = "web", Category = "NIC", Keyword = keyword, Recovery = recovery ?? RecoveryConfig.ResourceDefault }],
        };

    private static ClusterState Event(ClusterConfig config, ClusterState s, string node, string category, string? keyword, NoticeSeverity severity) =>
        StateMachine.Apply(config, s, new ExternalEvent(node, category, keyword, severity, "", "test", $"{category}.{keyword}.{severity}") { From = "n3", At = T0 }).State;

    [Fact]
    public void An_error_for_its_device_trips_the_monitor_on_that_node_and_a_clear_sets_it_Normal()
    {
        var config = Config("eth1");
        var s = LadderRun.Settle(config, LadderRun.Formed(config)).State;

        Assert.Equal(MonitorHealth.Normal, Event(config, s, "n1", "NIC", "eth2", NoticeSeverity.Error).Monitors.GetValueOrDefault("link")?.On("n1").Health ?? MonitorHealth.Normal);
        Assert.Equal(MonitorHealth.Normal, Event(config, s, "n1", "FC", "eth1", NoticeSeverity.Error).Monitors.GetValueOrDefault("link")?.On("n1").Health ?? MonitorHealth.Normal);
        Assert.Equal(MonitorHealth.Warning, Event(config, s, "n1", "NIC", "eth1", NoticeSeverity.Warning).Monitors["link"].On("n1").Health);

        var tripped = Event(config, s, "n1", "NIC", "eth1", NoticeSeverity.Error);
        Assert.Equal((MonitorHealth.Error, 1), (tripped.Monitors["link"].On("n1").Health, tripped.Monitors["link"].On("n1").Detections));
        var (moved, steps) = LadderRun.Settle(config, tripped);
        Assert.Equal(["Restart n1", "stop n1", "start n1"], steps);
        Assert.Equal(MonitorHealth.Normal, Event(config, tripped, "n1", "NIC", "eth1", NoticeSeverity.Clear).Monitors["link"].On("n1").Health);
        Assert.Equal("n1", moved.Groups["web"].Node);
    }

    [Fact]
    public void Without_a_keyword_an_error_of_any_device_of_the_category_trips_it()
    {
        var config = Config(null);
        var s = LadderRun.Settle(config, LadderRun.Formed(config)).State;
        Assert.Equal(MonitorHealth.Error, Event(config, s, "n2", "NIC", "bond0", NoticeSeverity.Error).Monitors["link"].On("n2").Health);
    }

    [Fact]
    public void With_failover_outside_server_group_an_error_moves_the_group_to_the_other_server_group_when_its_own_has_no_node_left()
    {
        var recovery = new RecoveryConfig { RestartLimit = 0, FailoverLimit = 1, FailoverOutsideServerGroup = true };
        var sites = LadderRun.TwoSites(RecoveryConfig.ResourceDefault);
        var config = sites with { Monitors = [new MonitorConfig { Name = "site-power", Kind = MonitorKind.External, Target = "web", Category = "HA/SS", Recovery = recovery }] };
        var s = LadderRun.Settle(config, LadderRun.Formed(config)).State;
        s = StateMachine.Apply(config, s, new MembershipChanged([1, 3, 4], [new MemberLeft(2, LeaveReason.Leave)], [])).State; // n2, the other node of site-a, left

        var decision = Assert.IsType<RecoveryOrdered>(Assert.Single(Coordinator.Decide(config, Event(config, s, "n1", "HA/SS", null, NoticeSeverity.Error), new PlanContext("n1", true, T0, T0)).Decisions).Message);
        Assert.Equal((RecoveryRung.Failover, "n3"), (decision.Rung, decision.To));
    }

    [Fact]
    public void A_message_published_again_is_applied_once()
    {
        var config = Config("eth1");
        var s = LadderRun.Settle(config, LadderRun.Formed(config)).State;
        var e = new ExternalEvent("n1", "NIC", "eth1", NoticeSeverity.Error, "", "test", "m-9") { From = "n1", At = T0 };

        var once = StateMachine.Apply(config, s, e).State;
        once = StateMachine.Apply(config, once, new ExternalEvent("n1", "NIC", "eth1", NoticeSeverity.Clear, "", "test", "m-10") { From = "n1", At = T0 }).State;
        var twice = StateMachine.Apply(config, once, e);

        Assert.Contains("message m-9 from n1 was applied before: ignored", twice.Notes);
        Assert.Equal((MonitorHealth.Normal, 1), (twice.State.Monitors["link"].On("n1").Health, twice.State.Monitors["link"].On("n1").Detections));
        Assert.Equal(["m-9", "m-10"], twice.State.RecentEvents);
    }
}
