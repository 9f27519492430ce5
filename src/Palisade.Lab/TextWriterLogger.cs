using Microsoft.Extensions.Logging;

namespace Palisade.Lab;

/// <summary>
/// Minimal logger for the CLI: one line per message on the given writer (stderr), nothing else.
/// With a <paramref name="clock"/> every line starts with the local time (for the lab's long-running helpers' logs).
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer, LogLevel minimum, TimeProvider? clock = null) : ILoggerProvider
{
    private readonly Lock gate = new();

    private LogLevel Minimum => minimum;

    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(this);

    public void Dispose()
    {
    }

    private void Write(LogLevel level, string message)
    {
        var prefix = level switch
        {
            LogLevel.Warning => "warning: ",
            LogLevel.Error or LogLevel.Critical => "error: ",
            _ => "",
        };
        var stamp = clock is null ? "" : clock.GetLocalNow().ToString("yyyy-MM-dd HH:mm:ss.fff ", System.Globalization.CultureInfo.InvariantCulture);
        lock (gate)
        {
            writer.WriteLine(stamp + "lab: " + prefix + message);
            writer.Flush();
        }
    }

    private sealed class TextWriterLogger(TextWriterLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.Minimum;

        public void Log<TState>(
            LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider.Write(logLevel, formatter(state, exception));
            }
        }
    }
}
