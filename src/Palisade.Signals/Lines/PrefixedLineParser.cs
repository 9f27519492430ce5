using System.Globalization;
using System.Text.RegularExpressions;

namespace Palisade.Signals;

/// <summary>Reads one <c>dmesg</c> or syslog/journald line, or failing both, takes the whole line as the message.</summary>
internal static partial class PrefixedLineParser
{
    public static KernelLogLine Parse(string text)
    {
        var line = text.TrimEnd('\r');
        return Dmesg(line) ?? Syslog(line) ?? new KernelLogLine { Message = line.TrimEnd(), Raw = line, Format = KernelLogFormat.Text };
    }

    private static KernelLogLine? Dmesg(string line)
    {
        var match = DmesgLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var priority = match.Groups["priority"].Success ? int.Parse(match.Groups["priority"].ValueSpan, CultureInfo.InvariantCulture) : (int?)null;
        return new KernelLogLine
        {
            Message = match.Groups["message"].Value.TrimEnd(),
            Raw = line,
            Format = KernelLogFormat.Dmesg,
            Facility = match.Groups["facility"].Success ? SyslogNames.Facility(match.Groups["facility"].Value) : priority >> 3,
            Level = match.Groups["level"].Success ? SyslogNames.Level(match.Groups["level"].Value) : (KernelLogLevel?)(priority & 7),
            SinceBoot = SinceBoot(match),
        };
    }

    private static KernelLogLine? Syslog(string line)
    {
        var match = SyslogLine().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var program = match.Groups["program"].Value;
        var message = match.Groups["message"].Value;
        TimeSpan? sinceBoot = null;

        // Some syslog setups keep the kernel's own time stamp in front of the message.
        if (program == "kernel" && KernelStamp().Match(message) is { Success: true } stamp)
        {
            sinceBoot = SinceBoot(stamp);
            message = message[stamp.Length..];
        }

        return new KernelLogLine
        {
            Message = message.TrimEnd(),
            Raw = line,
            Format = KernelLogFormat.Syslog,
            Program = program,
            Facility = match.Groups["facility"].Success ? SyslogNames.Facility(match.Groups["facility"].Value)
                : program == "kernel" ? SyslogNames.KernelFacility : null,
            Level = match.Groups["level"].Success ? SyslogNames.Level(match.Groups["level"].Value) : null,
            SinceBoot = sinceBoot,
        };
    }

    private static TimeSpan? SinceBoot(Match match)
    {
        if (!match.Groups["seconds"].Success)
        {
            return null;
        }

        var seconds = long.Parse(match.Groups["seconds"].ValueSpan, CultureInfo.InvariantCulture);
        var fraction = match.Groups["fraction"].Value.PadRight(6, '0')[..6];
        return TimeSpan.FromSeconds(seconds) + TimeSpan.FromMicroseconds(long.Parse(fraction, CultureInfo.InvariantCulture));
    }

    private const string FacilityWords = "kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]";
    private const string LevelWords = "emerg|alert|crit|err|warning|warn|notice|info|debug";

    // dmesg [-x] [-r] [-T]: "kern  :err   : [  12.345678] msg", "<3>[  12.345678] msg", "[Wed Dec  4 10:00:00 2024] msg".
    [GeneratedRegex(
        @"^(?:(?<facility>" + FacilityWords + @")\s*:(?<level>" + LevelWords + @")\s*: )?(?:<(?<priority>\d{1,4})>)?"
        + @"\[(?:\s*(?<seconds>\d{1,10})\.(?<fraction>\d{1,9})|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4})\] ?(?<message>.*)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex DmesgLine();

    // "Dec  4 10:00:00 host kernel: msg", "2024-12-04T10:00:00.123+01:00 host multipathd[812]: msg",
    // and rsyslog templates that put "kern.warn" before the program.
    [GeneratedRegex(
        @"^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d{1,9})?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d{1,9})?(?:Z|[+-]\d\d:?\d\d)?) "
        + @"(?<host>\S+) (?:(?<facility>" + FacilityWords + @")\.(?<level>" + LevelWords + @") )?"
        + @"(?<program>[^\s\[\]:]+)(?:\[\d{1,10}\])?: ?(?<message>.*)$",
        RegexOptions.CultureInvariant)]
    private static partial Regex SyslogLine();

    [GeneratedRegex(@"^\[\s*(?<seconds>\d{1,10})\.(?<fraction>\d{1,9})\] ?", RegexOptions.CultureInvariant)]
    private static partial Regex KernelStamp();
}
