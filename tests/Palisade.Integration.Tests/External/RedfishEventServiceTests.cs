using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Palisade.Integration.Tests.External;

/// <summary>
/// The event service of the lab's Redfish BMCs, served in-process (no lab, no root): subscriptions, pushes to an
/// HTTPS receiver verified against a CA, retries, SSE with replay, events from the power ledger and SubmitTestEvent.
/// </summary>
public sealed class RedfishEventServiceTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TheServiceRootLinksTheEventServiceWhichDescribesItself()
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        using var client = bmcs.Client("n1");

        var root = await GetJsonAsync(client, "/redfish/v1");
        Assert.Equal("/redfish/v1/EventService", root["EventService"]!["@odata.id"]!.GetValue<string>());

        var service = await GetJsonAsync(client, "/redfish/v1/EventService");
        Assert.Equal("#EventService.v1_7_0.EventService", service["@odata.type"]!.GetValue<string>());
        Assert.Equal("EventService", service["Id"]!.GetValue<string>());
        Assert.True(service["ServiceEnabled"]!.GetValue<bool>());
        Assert.Equal(3, service["DeliveryRetryAttempts"]!.GetValue<int>());
        Assert.Equal(1, service["DeliveryRetryIntervalSeconds"]!.GetValue<int>());
        Assert.Equal("[\"Event\"]", service["EventFormatTypes"]!.ToJsonString());
        Assert.Equal("/redfish/v1/EventService/SSE", service["ServerSentEventUri"]!.GetValue<string>());
        Assert.Equal("/redfish/v1/EventService/Subscriptions", service["Subscriptions"]!["@odata.id"]!.GetValue<string>());
        Assert.Equal("/redfish/v1/EventService/Actions/EventService.SubmitTestEvent",
            service["Actions"]!["#EventService.SubmitTestEvent"]!["target"]!.GetValue<string>());

        using var anonymous = bmcs.Client("n1", authenticated: false);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/redfish/v1/EventService")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/redfish/v1/EventService/Subscriptions")).StatusCode);
    }

    [Fact]
    public async Task ASubscriptionIsCreatedListedReadAndDeletedOnItsOwnBmcAndNeverShowsItsHeaders()
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        using var n1 = bmcs.Client("n1");
        using var n2 = bmcs.Client("n2");

        using var created = await n1.PostAsync("/redfish/v1/EventService/Subscriptions", Json(Subscription("https://127.0.0.1:9/events", "ctx-1")));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/redfish/v1/EventService/Subscriptions/1", created.Headers.Location?.OriginalString);
        var body = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain("secret-token", body, StringComparison.Ordinal);
        var destination = JsonNode.Parse(body)!;
        Assert.Equal("#EventDestination.v1_9_0.EventDestination", destination["@odata.type"]!.GetValue<string>());
        Assert.Equal("1", destination["Id"]!.GetValue<string>());
        Assert.Equal("https://127.0.0.1:9/events", destination["Destination"]!.GetValue<string>());
        Assert.Equal("Redfish", destination["Protocol"]!.GetValue<string>());
        Assert.Equal("ctx-1", destination["Context"]!.GetValue<string>());
        Assert.Equal("[]", destination["HttpHeaders"]!.ToJsonString());

        var list = await GetJsonAsync(n1, "/redfish/v1/EventService/Subscriptions");
        Assert.Equal(1, list["Members@odata.count"]!.GetValue<int>());
        Assert.Equal("/redfish/v1/EventService/Subscriptions/1", list["Members"]![0]!["@odata.id"]!.GetValue<string>());
        Assert.Equal(0, (await GetJsonAsync(n2, "/redfish/v1/EventService/Subscriptions"))["Members@odata.count"]!.GetValue<int>());

        var one = await n1.GetStringAsync("/redfish/v1/EventService/Subscriptions/1");
        Assert.DoesNotContain("secret-token", one, StringComparison.Ordinal);
        Assert.Equal("ctx-1", JsonNode.Parse(one)!["Context"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await n2.GetAsync("/redfish/v1/EventService/Subscriptions/1")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await n1.DeleteAsync("/redfish/v1/EventService/Subscriptions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await n1.GetAsync("/redfish/v1/EventService/Subscriptions/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await n1.DeleteAsync("/redfish/v1/EventService/Subscriptions/1")).StatusCode);
        Assert.Equal(0, (await GetJsonAsync(n1, "/redfish/v1/EventService/Subscriptions"))["Members@odata.count"]!.GetValue<int>());
        Assert.DoesNotContain(bmcs.Logger.Lines, l => l.Contains("secret-token", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"Protocol": "Redfish"}""", "Destination")]
    [InlineData("""{"Destination": "http://127.0.0.1/events", "Protocol": "Redfish"}""", "Destination")]
    [InlineData("""{"Destination": "/events", "Protocol": "Redfish"}""", "Destination")]
    [InlineData("""{"Destination": 42, "Protocol": "Redfish"}""", "Destination")]
    [InlineData("""{"Destination": "https://127.0.0.1/events"}""", "Protocol")]
    [InlineData("""{"Destination": "https://127.0.0.1/events", "Protocol": "SNMPv2c"}""", "Protocol")]
    [InlineData("""{"Destination": "https://127.0.0.1/events", "Protocol": "Redfish", "Context": 7}""", "Context")]
    [InlineData("""{"Destination": "https://127.0.0.1/events", "Protocol": "Redfish", "HttpHeaders": "Authorization: x"}""", "HttpHeaders")]
    [InlineData("""{"Destination": "https://127.0.0.1/events", "Protocol": "Redfish", "HttpHeaders": [{"Authorization": 1}]}""", "HttpHeaders")]
    [InlineData("""{"Destination": "https://127.0.0.1/events", "Protocol": "Redfish", "HttpHeaders": [{"Bad Name": "x"}]}""", "HttpHeaders")]
    [InlineData("""["not", "an", "object"]""", "MalformedJSON")]
    [InlineData("""{"Destination": """, "MalformedJSON")]
    public async Task ABadSubscriptionIsRefusedWith400NamingTheProperty(string request, string named)
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        using var client = bmcs.Client("n1");

        using var answer = await client.PostAsync("/redfish/v1/EventService/Subscriptions", new StringContent(request, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var error = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!["error"]!;
        Assert.StartsWith("Base.1.8.", error["code"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(named, error["code"]!.GetValue<string>() + " " + error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, (await GetJsonAsync(client, "/redfish/v1/EventService/Subscriptions"))["Members@odata.count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ABmcKeepsAtMostTwentySubscriptions()
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        using var client = bmcs.Client("n1");
        for (var i = 0; i < 20; i++)
        {
            using var created = await client.PostAsync("/redfish/v1/EventService/Subscriptions", Json(Subscription("https://127.0.0.1:9/e", $"c{i}")));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var refused = await client.PostAsync("/redfish/v1/EventService/Subscriptions", Json(Subscription("https://127.0.0.1:9/e", "c21")));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("Base.1.8.CreateLimitReachedForResource", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var n2 = bmcs.Client("n2");
        Assert.Equal(HttpStatusCode.Created, (await n2.PostAsync("/redfish/v1/EventService/Subscriptions", Json(Subscription("https://127.0.0.1:9/e", "other")))).StatusCode);
    }

    [Fact]
    public async Task AnEventIsPushedWithTheSubscriptionsHeaderAndContext()
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        await using var receiver = await PushReceiver.StartAsync(bmcs.Ca.IssueFor(IPAddress.Loopback));
        using var client = bmcs.Client("n1");
        await SubscribeAsync(client, receiver.Url, "ctx-push");

        await SubmitAsync(client, """{"MessageId": "NetworkDevice.1.0.CableRemoved", "MessageArgs": ["ic0"], "MessageSeverity": "Critical", "Message": "The network cable for port ic0 has been removed."}""");

        using var cts = new CancellationTokenSource(Patience);
        var push = await receiver.Received.ReadAsync(cts.Token);
        Assert.Equal("Bearer secret-token", push.Authorization);
        Assert.StartsWith("application/json", push.ContentType, StringComparison.Ordinal);
        var payload = JsonNode.Parse(push.Body)!;
        Assert.Equal("#Event.v1_7_0.Event", payload["@odata.type"]!.GetValue<string>());
        Assert.Equal("1", payload["Id"]!.GetValue<string>());
        Assert.Equal("Event Array", payload["Name"]!.GetValue<string>());
        Assert.Equal("ctx-push", payload["Context"]!.GetValue<string>());
        var record = Assert.Single(payload["Events"]!.AsArray())!;
        Assert.Equal("1", record["EventId"]!.GetValue<string>());
        Assert.Equal("Critical", record["MessageSeverity"]!.GetValue<string>());
        Assert.Equal("Critical", record["Severity"]!.GetValue<string>());
        Assert.Equal("NetworkDevice.1.0.CableRemoved", record["MessageId"]!.GetValue<string>());
        Assert.Equal("The network cable for port ic0 has been removed.", record["Message"]!.GetValue<string>());
        Assert.Equal("[\"ic0\"]", record["MessageArgs"]!.ToJsonString());
        Assert.Equal("/redfish/v1/Systems/1", record["OriginOfCondition"]!["@odata.id"]!.GetValue<string>());
        var timestamp = DateTimeOffset.Parse(record["EventTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - timestamp).TotalSeconds) < 30);
        Assert.EndsWith("Z", record["EventTimestamp"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain(bmcs.Logger.Lines, l => l.Contains("secret-token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AFailedPushIsRetriedASecondApartUntilTheReceiverTakesIt()
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        await using var receiver = await PushReceiver.StartAsync(bmcs.Ca.IssueFor(IPAddress.Loopback));
        receiver.Answers.Enqueue(500);
        receiver.Answers.Enqueue(500);
        using var client = bmcs.Client("n1");
        await SubscribeAsync(client, receiver.Url, "ctx-retry");

        var clock = Stopwatch.StartNew();
        await SubmitAsync(client, """{"MessageId": "Test.1.0.Retry"}""");

        using var cts = new CancellationTokenSource(Patience);
        var attempts = new List<ReceivedPush>();
        for (var i = 0; i < 3; i++)
        {
            attempts.Add(await receiver.Received.ReadAsync(cts.Token));
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"three attempts within {clock.Elapsed}");
        Assert.All(attempts, a => Assert.Contains("Test.1.0.Retry", a.Body, StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(receiver.Received.TryRead(out _), "a delivered event was sent again");
        Assert.Equal(2, bmcs.Logger.Lines.Count(l => l.Contains("to subscription 1 failed", StringComparison.Ordinal) && l.Contains("HTTP 500", StringComparison.Ordinal)));
        Assert.DoesNotContain(bmcs.Logger.Lines, l => l.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AReceiverWhoseCertificateTheCaDidNotSignGetsNothingAndTheEventIsDroppedAfterFourAttempts()
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        using var stranger = new TestCa();
        await using var receiver = await PushReceiver.StartAsync(stranger.IssueFor(IPAddress.Loopback));
        using var client = bmcs.Client("n1");
        await SubscribeAsync(client, receiver.Url, "ctx-tls");

        await SubmitAsync(client, """{"MessageId": "Test.1.0.Untrusted"}""");

        var deadline = DateTime.UtcNow + Patience;
        while (!bmcs.Logger.Lines.Any(l => l.Contains("event 1 dropped for subscription 1", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Contains(bmcs.Logger.Lines, l => l.Contains("event 1 dropped for subscription 1 after 4 failed attempts", StringComparison.Ordinal));
        Assert.Equal(4, bmcs.Logger.Lines.Count(l => l.Contains("delivery of event 1 to subscription 1 failed", StringComparison.Ordinal)));
        Assert.False(receiver.Received.TryRead(out _));
        Assert.Equal("1", (await GetJsonAsync(client, "/redfish/v1/EventService/Subscriptions/1"))["Id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SseStreamsEventsInOrderAndReplaysThoseAfterLastEventId()
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        using var client = bmcs.Client("n1");
        using var cts = new CancellationTokenSource(Patience);
        await using (var stream = await SseStream.OpenAsync(client, lastEventId: null, cts.Token))
        {
            Assert.StartsWith("text/event-stream", stream.ContentType, StringComparison.Ordinal);
            foreach (var id in new[] { "A", "B", "C" })
            {
                await SubmitAsync(client, $$"""{"MessageId": "Test.1.0.{{id}}", "Severity": "Warning"}""");
            }

            for (var n = 1; n <= 3; n++)
            {
                var (eventId, data) = await stream.NextAsync(cts.Token);
                Assert.Equal(n.ToString(CultureInfo.InvariantCulture), eventId);
                var payload = JsonNode.Parse(data)!;
                Assert.Equal("", payload["Context"]!.GetValue<string>());
                Assert.Equal("Test.1.0." + "ABC"[n - 1], payload["Events"]![0]!["MessageId"]!.GetValue<string>());
                Assert.Equal("Warning", payload["Events"]![0]!["MessageSeverity"]!.GetValue<string>());
            }
        }

        await using var again = await SseStream.OpenAsync(client, lastEventId: "1", cts.Token);
        Assert.Equal("2", (await again.NextAsync(cts.Token)).Id);
        Assert.Equal("3", (await again.NextAsync(cts.Token)).Id);
        await SubmitAsync(client, """{"MessageId": "Test.1.0.D"}""");
        Assert.Equal("4", (await again.NextAsync(cts.Token)).Id);
    }

    [Fact]
    public async Task APowerOffInTheLedgerIsAnEventOfThatNodesBmcOnly()
    {
        var earlier = $"{DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeMilliseconds()} n1 power-on\n";
        await using var bmcs = await RedfishEventTestHost.StartAsync(ledgerBefore: earlier);
        using var n1 = bmcs.Client("n1");
        using var n2 = bmcs.Client("n2");
        using var cts = new CancellationTokenSource(Patience);
        await using var n1Events = await SseStream.OpenAsync(n1, lastEventId: null, cts.Token);
        await using var n2Events = await SseStream.OpenAsync(n2, lastEventId: null, cts.Token);

        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await File.AppendAllTextAsync(bmcs.Ledger, $"{at} n3 power-off\n{at} n1 watchdog-reset\n{at} n1 power-", cts.Token);
        await Task.Delay(200, cts.Token);
        await File.AppendAllTextAsync(bmcs.Ledger, "off\n", cts.Token);

        var (id, data) = await n1Events.NextAsync(cts.Token);
        Assert.Equal("1", id);
        var record = JsonNode.Parse(data)!["Events"]![0]!;
        Assert.Equal("ResourceEvent.1.3.0.ResourcePoweredOff", record["MessageId"]!.GetValue<string>());
        Assert.Equal("[\"/redfish/v1/Systems/1\"]", record["MessageArgs"]!.ToJsonString());
        Assert.Equal("Critical", record["MessageSeverity"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(at), DateTimeOffset.Parse(record["EventTimestamp"]!.GetValue<string>(), CultureInfo.InvariantCulture));

        await File.AppendAllTextAsync(bmcs.Ledger, $"{at + 1} n1 panic\n{at + 2} n1 power-on\n", cts.Token);
        Assert.Equal("Platform.1.0.OperatingSystemCrash", MessageId((await n1Events.NextAsync(cts.Token)).Data));
        Assert.Equal("ResourceEvent.1.3.0.ResourcePoweredOn", MessageId((await n1Events.NextAsync(cts.Token)).Data));

        // n2's first event is the marker sent after all of n1's: none of n1's ledger lines reached n2's BMC.
        await SubmitAsync(n2, """{"MessageId": "Test.1.0.Marker"}""");
        var first = await n2Events.NextAsync(cts.Token);
        Assert.Equal(("1", "Test.1.0.Marker"), (first.Id, MessageId(first.Data)));
    }

    [Fact]
    public async Task SubmitTestEventNeedsAMessageIdAndAKnownSeverity()
    {
        await using var bmcs = await RedfishEventTestHost.StartAsync();
        using var client = bmcs.Client("n1");

        foreach (var (body, named) in new[]
        {
            ("""{"MessageArgs": ["x"]}""", "MessageId"),
            ("""{"MessageId": 5}""", "MessageId"),
            ("""{"MessageId": "Test.1.0.X", "MessageSeverity": "Fatal"}""", "MessageSeverity"),
            ("""{"MessageId": "Test.1.0.X", "MessageArgs": [1]}""", "MessageArgs"),
            ("not json", "MalformedJSON"),
        })
        {
            using var refused = await client.PostAsync("/redfish/v1/EventService/Actions/EventService.SubmitTestEvent", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(named, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var cts = new CancellationTokenSource(Patience);
        await using var stream = await SseStream.OpenAsync(client, lastEventId: "0", cts.Token);
        await SubmitAsync(client, """{"MessageId": "Test.1.0.Ok", "OriginOfCondition": "/redfish/v1/Chassis/1"}""");
        var (id, data) = await stream.NextAsync(cts.Token);
        Assert.Equal("1", id);
        var record = JsonNode.Parse(data)!["Events"]![0]!;
        Assert.Equal("OK", record["MessageSeverity"]!.GetValue<string>());
        Assert.Equal("/redfish/v1/Chassis/1", record["OriginOfCondition"]!["@odata.id"]!.GetValue<string>());
        using var wrongMethod = await client.GetAsync("/redfish/v1/EventService/Actions/EventService.SubmitTestEvent");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    private static JsonObject Subscription(string destination, string context) => new()
    {
        ["Destination"] = destination,
        ["Protocol"] = "Redfish",
        ["Context"] = context,
        ["HttpHeaders"] = new JsonArray(new JsonObject { ["Authorization"] = "Bearer secret-token" }),
    };

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static async Task SubscribeAsync(HttpClient client, string destination, string context)
    {
        using var created = await client.PostAsync("/redfish/v1/EventService/Subscriptions", Json(Subscription(destination, context)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
    }

    private static async Task SubmitAsync(HttpClient client, string body)
    {
        using var answer = await client.PostAsync("/redfish/v1/EventService/Actions/EventService.SubmitTestEvent", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(answer.StatusCode == HttpStatusCode.NoContent, await answer.Content.ReadAsStringAsync());
    }

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
    {
        using var answer = await client.GetAsync(path);
        Assert.True(answer.IsSuccessStatusCode, $"GET {path}: {(int)answer.StatusCode}");
        return (await answer.Content.ReadFromJsonAsync<JsonNode>())!;
    }

    private static string MessageId(string data) => JsonNode.Parse(data)!["Events"]![0]!["MessageId"]!.GetValue<string>();
}
