using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Palisade.Core.Json;

namespace Palisade.Daemon.Alerts;

/// <summary>One delivery waiting in the queue: an event for one alert and recipient.</summary>
internal sealed record QueuedAlert(string Alert, string Recipient, DateTimeOffset Queued, AlertEvent Event)
{
    public long Sequence => Event.Sequence;

    public string Target => TargetOf(Alert, Recipient);

    public static string TargetOf(string alert, string recipient) => recipient.Length == 0 ? alert : $"{alert} -> {recipient}";
}

/// <summary>How a delivery left the queue.</summary>
internal enum AlertOutcome
{
    /// <summary>The agent exited 0 or the webhook answered 2xx.</summary>
    Delivered,

    /// <summary>Still failing past the maximum age: given up and logged.</summary>
    Dropped,

    /// <summary>Another node reported it delivered or dropped it.</summary>
    DoneElsewhere,
}

/// <summary>
/// One line of the queue file: an added delivery, one that is done, or (after a compaction) the highest sequence
/// ever queued for a target, so that a sequence is never queued twice.
/// </summary>
internal sealed record AlertQueueLine
{
    public QueuedAlert? Add { get; init; }

    public DoneLine? Done { get; init; }

    public MarkLine? Mark { get; init; }

    internal sealed record DoneLine(string Alert, string Recipient, long Sequence, AlertOutcome Outcome);

    internal sealed record MarkLine(string Alert, string Recipient, long Sequence);

    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        // Enums as their names (the generated code's string enum converter).
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = DaemonJsonContext.Default,
        };
        options.MakeReadOnly();
        return options;
    }

    public string Encode() => JsonSerializer.Serialize(this, Json.Info<AlertQueueLine>()) + "\n";

    /// <summary>
    /// The lines of a queue file and the length of its whole lines: a crash mid-append leaves a last line without its
    /// newline (or not valid JSON); it was never synced as done, so it is cut off.
    /// </summary>
    public static (List<AlertQueueLine> Lines, long GoodLength) Parse(byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var lines = new List<AlertQueueLine>();
        var good = 0L;
        var start = 0;
        while (start < content.Length)
        {
            var end = Array.IndexOf(content, (byte)'\n', start);
            if (end < 0)
            {
                break;
            }

            AlertQueueLine? line;
            try
            {
                line = JsonSerializer.Deserialize(Encoding.UTF8.GetString(content, start, end - start), Json.Info<AlertQueueLine>());
            }
            catch (JsonException)
            {
                break;
            }

            if (line is null)
            {
                break;
            }

            lines.Add(line);
            start = end + 1;
            good = start;
        }

        return (lines, good);
    }
}
