using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization;
using Palisade.Core.Json;

namespace Palisade.Daemon.Alerts;

/// <summary>The JSON body a webhook gets for one event, and the header carrying its sequence.</summary>
internal static class WebhookBody
{
    /// <summary>The header that carries the sequence: a receiver that saw it before has the event already.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The body's JSON: the names as written below, the serializer's default escaping.</summary>
    private static readonly JsonSerializerOptions Json = new() { TypeInfoResolver = DaemonJsonContext.Default };

    public static string Of(string cluster, QueuedAlert item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var e = item.Event;
        return JsonSerializer.Serialize(
            new WebhookPayload(e.Sequence, cluster, e.KindName, e.Node, e.NodeId, e.Description,
                e.At.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture), item.Alert, e.Fields),
            Json.Info<WebhookPayload>());
    }
}

/// <summary>What a webhook receives for one event.</summary>
internal sealed record WebhookPayload(
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("cluster")] string Cluster,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("node_id")] uint NodeId,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("timestamp")] string Timestamp,
    [property: JsonPropertyName("alert")] string Alert,
    [property: JsonPropertyName("fields")] ImmutableSortedDictionary<string, string> Fields);
