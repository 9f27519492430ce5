using System.Text;

namespace Palisade.Agents;

/// <summary>
/// Reads a <c>text/event-stream</c> (the WHATWG server-sent events format): <c>data:</c> lines join into one event,
/// <c>id:</c> names it, a blank line ends it, comments (<c>:</c>) keep the connection alive.
/// </summary>
internal static class ServerSentEvents
{
    /// <summary>One event's data is a Redfish Event document: anything far larger is not one.</summary>
    private const int MaxEventChars = 1 << 20;

    /// <summary>Hands each event on until the stream ends; returns why it ended.</summary>
    public static async Task<string> ReadAsync(Stream body, Func<string, string?, Task> onEvent, CancellationToken ct)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        var data = new StringBuilder();
        string? id = null;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    await onEvent(data.ToString(), id).ConfigureAwait(false);
                }

                data.Clear();
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.StartsWith(' '))
            {
                value = value[1..];
            }

            switch (field)
            {
                case "data":
                    if (data.Length > 0)
                    {
                        data.Append('\n');
                    }

                    data.Append(value);
                    if (data.Length > MaxEventChars)
                    {
                        return $"an event of more than {MaxEventChars} characters: not a BMC's event";
                    }

                    break;
                case "id" when !value.Contains('\0', StringComparison.Ordinal):
                    id = value;
                    break;
            }
        }

        return "the BMC closed the event stream";
    }
}
