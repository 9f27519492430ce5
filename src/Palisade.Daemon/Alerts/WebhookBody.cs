using System.Text.Json;

namespace Palisade.Daemon.Alerts;

/// <summary>The JSON body a webhook gets for one event, and the header carrying its sequence.</summary>
internal static class WebhookBody
{
    /// <summary>The header that carries the sequence: a receiver that saw it before has the event already.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    public static string Of(string cluster, QueuedAlert item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var e = item.Event;
        return JsonSerializer.Serialize(new
        {
            sequence = e.Sequence,
            cluster,
            kind = e.KindName,
            node = e.Node,
            node_id = e.NodeId,
            description = e.Description,
            timestamp = e.At.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            alert = item.Alert,
            fields = e.Fields,
        });
    }
}
