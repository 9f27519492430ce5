using System.Collections.Immutable;
using System.Text.Json;

namespace Palisade.Signals.Redfish;

/// <summary>One record of a Redfish Event (the members of its <c>Events</c> array), as a BMC sends it.</summary>
/// <param name="EventId">The BMC's id of the record; unique only while the BMC runs.</param>
/// <param name="MessageId">Registry, version and message, e.g. <c>ResourceEvent.1.3.0.ResourcePoweredOff</c>.</param>
/// <param name="Origin">The <c>@odata.id</c> of the resource the record concerns, when given.</param>
public sealed record RedfishEvent(
    string EventId,
    string MessageId,
    ImmutableArray<string> Args,
    string Severity,
    string Message,
    string? Origin,
    string? Timestamp)
{
    /// <summary>The registry's name: <c>ResourceEvent</c> of <c>ResourceEvent.1.3.0.ResourcePoweredOff</c>.</summary>
    public string Registry => MessageId.Split('.')[0];

    /// <summary>The message's key, whatever the registry's version: <c>ResourcePoweredOff</c>.</summary>
    public string Key => MessageId.Split('.')[^1];

    /// <summary>
    /// The records of one Event document (a push body or one SSE <c>data:</c>); a record without a MessageId is
    /// left out. Throws <see cref="JsonException"/> when the document is not an Event.
    /// </summary>
    public static ImmutableArray<RedfishEvent> ParseDocument(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("not a Redfish Event: no Events array");
        }

        var records = ImmutableArray.CreateBuilder<RedfishEvent>();
        foreach (var e in events.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object || Text(e, "MessageId") is not { Length: > 0 } messageId)
            {
                continue;
            }

            var args = e.TryGetProperty("MessageArgs", out var a) && a.ValueKind == JsonValueKind.Array
                ? [.. a.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() ?? "" : x.GetRawText())]
                : ImmutableArray<string>.Empty;
            var origin = e.TryGetProperty("OriginOfCondition", out var o)
                ? o.ValueKind == JsonValueKind.Object ? Text(o, "@odata.id") : o.ValueKind == JsonValueKind.String ? o.GetString() : null
                : null;
            records.Add(new RedfishEvent(
                Text(e, "EventId") ?? "",
                messageId,
                args,
                Text(e, "MessageSeverity") ?? Text(e, "Severity") ?? "",
                Text(e, "Message") ?? "",
                origin,
                Text(e, "EventTimestamp")));
        }

        return records.ToImmutable();
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
