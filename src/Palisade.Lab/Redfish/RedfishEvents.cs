using System.Globalization;
using System.Text.Json.Nodes;

namespace Palisade.Lab.Redfish;

/// <summary>The Redfish EventService resources of a lab BMC and the events it sends, as JSON.</summary>
internal static class RedfishEvents
{
    public const string Service = RedfishResources.Root + "/EventService";
    public const string Subscriptions = Service + "/Subscriptions";
    public const string ServerSentEvents = Service + "/SSE";
    public const string SubmitTestEvent = Service + "/Actions/EventService.SubmitTestEvent";

    /// <summary>Delivery attempts after the first failed one, and the pause before each.</summary>
    public const int RetryAttempts = 3;
    public const int RetryIntervalSeconds = 1;

    public static readonly IReadOnlyList<string> Severities = ["OK", "Warning", "Critical"];

    public static JsonObject EventService() => new()
    {
        ["@odata.id"] = Service,
        ["@odata.type"] = "#EventService.v1_7_0.EventService",
        ["Id"] = "EventService",
        ["Name"] = "Event Service",
        ["ServiceEnabled"] = true,
        ["DeliveryRetryAttempts"] = RetryAttempts,
        ["DeliveryRetryIntervalSeconds"] = RetryIntervalSeconds,
        ["EventFormatTypes"] = new JsonArray("Event"),
        ["ServerSentEventUri"] = ServerSentEvents,
        ["Subscriptions"] = Link(Subscriptions),
        ["Actions"] = new JsonObject
        {
            ["#EventService.SubmitTestEvent"] = new JsonObject { ["target"] = SubmitTestEvent },
        },
    };

    public static JsonObject SubscriptionCollection(IReadOnlyList<EventSubscription> subscriptions) => new()
    {
        ["@odata.id"] = Subscriptions,
        ["@odata.type"] = "#EventDestinationCollection.EventDestinationCollection",
        ["Name"] = "Event Subscriptions",
        ["Members@odata.count"] = subscriptions.Count,
        ["Members"] = new JsonArray([.. subscriptions.Select(s => (JsonNode)Link(SubscriptionPath(s.Id)))]),
    };

    public static string SubscriptionPath(string id) => Subscriptions + "/" + id;

    /// <summary>A subscription as clients see it: its headers are write-only, so always an empty list.</summary>
    public static JsonObject EventDestination(EventSubscription subscription) => new()
    {
        ["@odata.id"] = SubscriptionPath(subscription.Id),
        ["@odata.type"] = "#EventDestination.v1_9_0.EventDestination",
        ["Id"] = subscription.Id,
        ["Name"] = "Event Subscription " + subscription.Id,
        ["Destination"] = subscription.Destination.OriginalString,
        ["Protocol"] = "Redfish",
        ["SubscriptionType"] = "RedfishEvent",
        ["EventFormatType"] = "Event",
        ["Context"] = subscription.Context,
        ["HttpHeaders"] = new JsonArray(),
    };

    /// <summary>The Event payload carrying one event record; push and SSE send the same shape.</summary>
    public static JsonObject Event(RedfishEvent e, string context)
    {
        var id = e.Id.ToString(CultureInfo.InvariantCulture);
        var record = new JsonObject
        {
            ["EventId"] = id,
            ["EventTimestamp"] = e.Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["MessageSeverity"] = e.Message.Severity,
            // Severity is deprecated in favour of MessageSeverity; older clients still read it.
            ["Severity"] = e.Message.Severity,
            ["Message"] = e.Message.Message,
            ["MessageId"] = e.Message.MessageId,
            ["MessageArgs"] = new JsonArray([.. e.Message.MessageArgs.Select(a => (JsonNode?)a)]),
            ["OriginOfCondition"] = Link(e.Message.OriginOfCondition),
        };
        return new JsonObject
        {
            ["@odata.type"] = "#Event.v1_7_0.Event",
            ["Id"] = id,
            ["Name"] = "Event Array",
            ["Context"] = context,
            ["Events"] = new JsonArray(record),
        };
    }

    /// <summary>The event a ledger line of the power script stands for, or null for words that make none.</summary>
    public static EventMessage? FromLedger(string what) => what switch
    {
        "power-off" => new EventMessage("ResourceEvent.1.3.0.ResourcePoweredOff", [RedfishResources.System], "Critical",
            $"The resource '{RedfishResources.System}' has been powered off.", RedfishResources.System),
        "power-on" => new EventMessage("ResourceEvent.1.3.0.ResourcePoweredOn", [RedfishResources.System], "OK",
            $"The resource '{RedfishResources.System}' has been powered on.", RedfishResources.System),
        "panic" => new EventMessage("Platform.1.0.OperatingSystemCrash", [], "Critical",
            "An operating system crash has been detected.", RedfishResources.System),
        _ => null,
    };

    private static JsonObject Link(string path) => new() { ["@odata.id"] = path };
}
