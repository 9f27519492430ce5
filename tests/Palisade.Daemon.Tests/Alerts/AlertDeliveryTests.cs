using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Palisade.Daemon.Alerts;
using Xunit;
using static Palisade.Daemon.Tests.Alerts.AlertTestCluster;

namespace Palisade.Daemon.Tests.Alerts;

/// <summary>Backoff, the agent's environment, the webhook body, and the service: who delivers, retries, hand-over.</summary>
public sealed class AlertDeliveryTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"palisade-alerts-{Guid.NewGuid():N}");

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 16)]
    [InlineData(9, 256)]
    [InlineData(10, 300)]
    [InlineData(60, 300)]
    public void Retries_back_off_doubling_up_to_five_minutes(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), AlertBackoff.After(failures));

    [Fact]
    public void An_agent_gets_Pacemakers_variables()
    {
        var at = new DateTimeOffset(2026, 12, 5, 1, 2, 3, TimeSpan.Zero).AddTicks(4_567_890);
        var e = new AlertEvent(12_003, AlertKind.Resource, "n2", 2, "ok", at, "n2", new Dictionary<string, string>
        {
            ["task"] = "start", ["rsc"] = "web/vip", ["rc"] = "0", ["target_rc"] = "0", ["status"] = "0", ["interval"] = "0",
        }.ToImmutableSortedDictionary());
        var alert = Config.Alerts[0];

        var env = AgentEnvironment.Of(alert, new QueuedAlert("file", "/tmp/a.log", at, e));

        Assert.Equal("resource", env["CRM_alert_kind"]);
        Assert.Equal("/tmp/a.log", env["CRM_alert_recipient"]);
        Assert.Equal("12003", env["CRM_alert_node_sequence"]);
        Assert.Equal("01:02:03.456789", env["CRM_alert_timestamp"]);
        Assert.Equal(at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), env["CRM_alert_timestamp_epoch"]);
        Assert.Equal("456789", env["CRM_alert_timestamp_usec"]);
        Assert.Equal(("n2", "2", "ok", "start", "web/vip", "0", "0"), (env["CRM_alert_node"], env["CRM_alert_nodeid"], env["CRM_alert_desc"], env["CRM_alert_task"], env["CRM_alert_rsc"], env["CRM_alert_interval"], env["CRM_alert_target_rc"]));
        Assert.False(env.ContainsKey("CRM_alert_attribute_name"));
        Assert.Equal("web/vip", env["CRM_notify_rsc"]);
    }

    [Fact]
    public void A_webhook_body_carries_the_sequence_kind_node_description_and_fields()
    {
        var body = System.Text.Json.JsonDocument.Parse(WebhookBody.Of("lab", new QueuedAlert("hook", "", T0, Event(7001)))).RootElement;

        Assert.Equal(7001, body.GetProperty("sequence").GetInt64());
        Assert.Equal(("node", "n2", "member", "lab"), (body.GetProperty("kind").GetString(), body.GetProperty("node").GetString(), body.GetProperty("description").GetString(), body.GetProperty("cluster").GetString()));
        Assert.Equal(T0, body.GetProperty("timestamp").GetDateTimeOffset());
    }

    private sealed class FakeSender : IAlertSender
    {
        public ConcurrentQueue<(string Target, long Sequence)> Sent { get; } = new();

        public volatile bool Up = true;

        public Task<DeliveryResult> SendAsync(AlertConfig alert, QueuedAlert item, CancellationToken ct)
        {
            if (!Up)
            {
                return Task.FromResult(new DeliveryResult(false, "connection refused"));
            }

            Sent.Enqueue((item.Target, item.Sequence));
            return Task.FromResult(new DeliveryResult(true, "ok"));
        }
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(10);
        }
    }

    private (AlertService Service, FakeSender Sender, ConcurrentQueue<AlertDone> Announced) Start(string local, Func<ClusterState?> state, string? dir = null)
    {
        var sender = new FakeSender();
        var announced = new ConcurrentQueue<AlertDone>();
        var service = new AlertService(Config, local, dir ?? Path.Combine(_dir, local), sender, state, done => { foreach (var d in done) { announced.Enqueue(d); } },
            TimeProvider.System, NullLogger.Instance);
        return (service, sender, announced);
    }

    [Fact]
    public async Task Only_the_owner_delivers_each_event_once_per_recipient_and_the_others_let_it_go_when_told()
    {
        var before = Running(10);
        var after = (before.WithNode("n3", NodeState.Unclean, member: false) with { FenceHistory = [Fence("n3", "n1", FenceResult.Worked)] }).Next();
        var state = after;
        var (n1, s1, done1) = Start("n1", () => state);
        var (n2, s2, _) = Start("n2", () => state);
        await using (n1)
        await using (n2)
        {
            n1.OnApplied(new StateDigest(0, ""), before, after, tookState: false);
            n2.OnApplied(new StateDigest(0, ""), before, after, tookState: false);

            // node event: file (2 recipients); fencing: file (2) + hook = 5 deliveries, all by n1 (the coordinator).
            await Eventually(() => s1.Sent.Count == 5, "n1 delivered the five");
            Assert.Equal(5, s1.Sent.Distinct().Count());
            Assert.Equal(["file -> /tmp/a.log", "file -> /tmp/a.log", "file -> /tmp/b.log", "file -> /tmp/b.log", "hook"], s1.Sent.Select(s => s.Target).Order().ToArray());
            await Eventually(() => n2.Metrics.Depth == (0, 5), "n2 holds the five for n1");
            Assert.Empty(s2.Sent);

            await Eventually(() => done1.Count == 5, "n1 announced the five"); // after the sends, once all are recorded
            n2.OnApplied(new AlertsDelivered([.. done1]) { From = "n1" }, after, after.Next(), tookState: false);
            await Eventually(() => n2.Metrics.Depth == (0, 0), "n2 let them go");
            Assert.Equal(("delivered", 4L), n1.Metrics.Delivered.Where(d => d.Alert == "file").Select(d => (d.Result, d.Count)).Single());
        }
    }

    [Fact]
    public async Task When_the_owner_is_lost_before_delivering_the_new_coordinator_delivers_what_it_held_after_its_receiver_comes_back()
    {
        var before = Running(20);
        var after = before.WithNode("n3", NodeState.Unclean, member: false).Next();
        var state = after;
        var (n2, s2, _) = Start("n2", () => state);
        await using (n2)
        {
            s2.Up = false;
            n2.OnApplied(new StateDigest(0, ""), before, after, tookState: false);
            await Eventually(() => n2.Metrics.Depth == (0, 2), "n2 holds the node event for n1");

            state = after.WithNode("n1", NodeState.Unclean, member: false).Next(); // n1 lost: n2 coordinates
            await Eventually(() => n2.Metrics.Delivered.Any(d => d.Result == "failed"), "n2 tried and failed");
            Assert.Empty(s2.Sent);

            s2.Up = true;
            await Eventually(() => s2.Sent.Count == 2, "n2 delivered both once the receiver was back");
            Assert.Equal([21_000L, 21_000], s2.Sent.Select(s => s.Sequence).ToArray());
        }
    }

    [Fact]
    public async Task A_delivery_still_failing_past_its_maximum_age_is_dropped()
    {
        var before = Running(30);
        var after = before.WithNode("n3", NodeState.Unclean, member: false).Next();
        var sender = new FakeSender { Up = false };
        var service = new AlertService(Config, "n1", Path.Combine(_dir, "n1"), sender, () => after, _ => { }, TimeProvider.System, NullLogger.Instance, maxAge: TimeSpan.FromMilliseconds(300));
        await using (service)
        {
            service.OnApplied(new StateDigest(0, ""), before, after, tookState: false);
            await Eventually(() => service.Metrics.Delivered.Count(d => d.Result == "dropped") == 1 && service.Metrics.Depth == (0, 0), "dropped past its age");
        }
    }

    [Fact]
    public async Task A_restarted_node_delivers_what_its_queue_held_and_queues_nothing_twice()
    {
        var before = Running(40);
        var after = before.WithNode("n3", NodeState.Unclean, member: false).Next();
        var dir = Path.Combine(_dir, "restart");
        var (first, s1, _) = Start("n1", () => after, dir);
        s1.Up = false;
        first.OnApplied(new StateDigest(0, ""), before, after, tookState: false);
        await Eventually(() => first.Metrics.Depth == (2, 0), "queued");
        await first.DisposeAsync();

        var (again, s2, _) = Start("n1", () => after, dir);
        await using (again)
        {
            again.OnApplied(new StateDigest(0, ""), before, after, tookState: false); // replayed: already queued
            await Eventually(() => s2.Sent.Count == 2, "delivered after the restart");
            await Task.Delay(200);
            Assert.Equal(2, s2.Sent.Count);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
