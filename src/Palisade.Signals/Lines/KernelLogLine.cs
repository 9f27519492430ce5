using System.Collections.Immutable;

namespace Palisade.Signals;

/// <summary>
/// One kernel log line, read from <c>/dev/kmsg</c>, <c>dmesg</c> or a syslog/journald file: the message without its
/// time stamp and prefix, and what the prefix said.
/// </summary>
public sealed record KernelLogLine
{
    /// <summary>The message text, without time stamp or prefix; trailing blanks removed, leading blanks kept.</summary>
    public required string Message { get; init; }

    /// <summary>The first line of the record exactly as read (without the line break).</summary>
    public required string Raw { get; init; }

    public required KernelLogFormat Format { get; init; }

    /// <summary>The kmsg sequence number: a reader that saw it already can skip the record. Restarts at 0 on boot.</summary>
    public long? Sequence { get; init; }

    /// <summary>The syslog facility (0 is the kernel), when the line says it.</summary>
    public int? Facility { get; init; }

    public KernelLogLevel? Level { get; init; }

    /// <summary>The time since boot the kernel stamped on the line, when it has one.</summary>
    public TimeSpan? SinceBoot { get; init; }

    /// <summary>The program a syslog line names (<c>kernel</c>, <c>multipathd</c>), when it names one.</summary>
    public string? Program { get; init; }

    /// <summary>The <c>KEY=value</c> continuation lines of a kmsg record (<c>SUBSYSTEM=net</c>, <c>DEVICE=n2</c>).</summary>
    public ImmutableDictionary<string, string> Properties { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>
    /// Reads one line or kmsg record in any of the <see cref="KernelLogFormat"/>s; null for a blank line.
    /// A line that matches none of the prefixed forms is read as <see cref="KernelLogFormat.Text"/>. Never throws.
    /// </summary>
    public static KernelLogLine? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var record = KmsgRecordParser.LooksLikeRecord(text) ? KmsgRecordParser.Parse(text) : null;
        return record ?? PrefixedLineParser.Parse(FirstLine(text));
    }

    /// <summary>Reads one record read from <c>/dev/kmsg</c>; null when it is not a well-formed record. Never throws.</summary>
    public static KernelLogLine? ParseKmsg(string? record) => record is null ? null : KmsgRecordParser.Parse(record);

    /// <summary>
    /// Reads the lines of a log (a file, a captured <c>/dev/kmsg</c>), joining a kmsg record's continuation lines
    /// (lines that start with a space) to it. Blank lines are skipped.
    /// </summary>
    public static IEnumerable<KernelLogLine> ParseAll(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return KmsgRecordParser.JoinContinuations(lines).Select(Parse).OfType<KernelLogLine>();
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
