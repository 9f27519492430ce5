namespace Palisade.Lab.Redfish;

/// <summary>What happened, as a Redfish event record describes it (a message registry entry and its arguments).</summary>
internal sealed record EventMessage(
    string MessageId, IReadOnlyList<string> MessageArgs, string Severity, string Message, string OriginOfCondition);

/// <summary>One event of a BMC: <paramref name="Id"/> is that BMC's increasing sequence number.</summary>
internal sealed record RedfishEvent(long Id, DateTimeOffset Timestamp, EventMessage Message);

/// <summary>
/// A push subscription. <paramref name="HttpHeaders"/> are write-only, as Redfish requires: they go with every
/// delivery and nowhere else (never in an answer, never in a log).
/// </summary>
internal sealed record EventSubscription(
    string Id, Uri Destination, string Context, IReadOnlyList<KeyValuePair<string, string>> HttpHeaders);
