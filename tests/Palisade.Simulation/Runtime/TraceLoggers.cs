using Microsoft.Extensions.Logging;

namespace Palisade.Simulation.Runtime;

/// <summary>
/// The daemon's log lines go into the run's trace, stamped with the node's own (possibly jumped) clock. A state
/// digest mismatch the host itself detects (event 8) is a violation.
/// </summary>
internal sealed class TraceLoggers(Trace trace, string node, Func<DateTimeOffset> now, Action<string> violation) : ILoggerFactory
{
    private const int DigestMismatch = 8;

    public ILogger CreateLogger(string categoryName) => new TraceLogger(trace, node, now, violation);

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("the simulator logs into its trace only");

    public void Dispose()
    {
    }

    private sealed class TraceLogger(Trace trace, string node, Func<DateTimeOffset> now, Action<string> violation) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => (trace.KeepText && logLevel >= LogLevel.Information) || logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var text = formatter(state, exception);
            if (eventId.Id == DigestMismatch)
            {
                violation($"{node}: {text}");
            }

            if (trace.KeepText)
            {
                trace.Add(now(), node, text);
            }
        }
    }
}
