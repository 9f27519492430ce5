using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Palisade.Daemon.Service;

/// <summary>How palisaded's log lines look.</summary>
internal enum LogFormat
{
    /// <summary>One line each, local timestamp first: a terminal, or a file the lab redirects stderr to.</summary>
    Plain,

    /// <summary>systemd's journal: a <c>&lt;N&gt;</c> priority prefix, no timestamp (journald adds its own).</summary>
    Journal,
}

/// <summary>Chooses the log format from the process environment and sets up the console logger for it.</summary>
internal static class DaemonLogging
{
    /// <summary>
    /// The journal format when systemd connected stdout or stderr to the journal (it sets <c>JOURNAL_STREAM</c>) or
    /// started palisaded as a service; otherwise the plain format.
    /// </summary>
    public static LogFormat Choose(string? journalStream, bool systemdService) =>
        !string.IsNullOrEmpty(journalStream) || systemdService ? LogFormat.Journal : LogFormat.Plain;

    public static LogFormat FromEnvironment() =>
        Choose(Environment.GetEnvironmentVariable("JOURNAL_STREAM"), SystemdHelpers.IsSystemdService());

    /// <summary>Console logging in <paramref name="format"/>, every line to stderr.</summary>
    public static ILoggingBuilder AddDaemonConsole(this ILoggingBuilder builder, LogFormat format)
    {
        if (format == LogFormat.Journal)
        {
            builder.AddSystemdConsole(o =>
            {
                o.TimestampFormat = null;
                o.IncludeScopes = false;
            });
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
                o.UseUtcTimestamp = false;
            });
        }

        return builder.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
