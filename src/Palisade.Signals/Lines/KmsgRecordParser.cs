using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Palisade.Signals;

/// <summary>
/// Reads <c>/dev/kmsg</c> records (the kernel's <c>Documentation/ABI/testing/dev-kmsg</c> format): a header of
/// comma-separated fields ending in <c>;</c> (fields after the flags are reserved and ignored), the message, then
/// continuation lines that start with a space and hold <c>KEY=value</c> pairs.
/// </summary>
internal static partial class KmsgRecordParser
{
    public static bool LooksLikeRecord(string text) => Header().IsMatch(text);

    public static KernelLogLine? Parse(string record)
    {
        var lines = record.Split('\n');
        var first = lines[0].TrimEnd('\r');
        var header = Header().Match(first);
        if (!header.Success
            || !int.TryParse(header.Groups["priority"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var priority)
            || !long.TryParse(header.Groups["sequence"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            || !long.TryParse(header.Groups["usec"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var usec))
        {
            return null;
        }

        return new KernelLogLine
        {
            Message = first[header.Length..].TrimEnd(),
            Raw = first,
            Format = KernelLogFormat.Kmsg,
            Sequence = sequence,
            Facility = priority >> 3,
            Level = (KernelLogLevel)(priority & 7),
            SinceBoot = TimeSpan.FromMicroseconds(usec),
            Properties = Properties(lines.Skip(1)),
        };
    }

    /// <summary>Groups a log's lines into records: a line that starts with a space belongs to the kmsg record before it.</summary>
    public static IEnumerable<string> JoinContinuations(IEnumerable<string> lines)
    {
        StringBuilder? record = null;
        var recordIsKmsg = false;
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (record is not null && recordIsKmsg && line.StartsWith(' '))
            {
                record.Append('\n').Append(line);
                continue;
            }

            if (record is not null)
            {
                yield return record.ToString();
            }

            record = new StringBuilder(line);
            recordIsKmsg = LooksLikeRecord(line);
        }

        if (record is not null)
        {
            yield return record.ToString();
        }
    }

    private static ImmutableDictionary<string, string> Properties(IEnumerable<string> continuations)
    {
        var properties = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var raw in continuations)
        {
            var line = raw.TrimEnd('\r');
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.StartsWith(' ') && equals > 1)
            {
                properties[line[1..equals]] = line[(equals + 1)..];
            }
        }

        return properties.ToImmutable();
    }

    // At most 15 digits of microseconds (31 years of uptime) keeps the time stamp inside a TimeSpan.
    [GeneratedRegex(@"^(?<priority>\d{1,9}),(?<sequence>\d{1,19}),(?<usec>\d{1,15}),(?<flags>[^,;]*)(?:,[^;]*)?;", RegexOptions.CultureInvariant)]
    private static partial Regex Header();
}
