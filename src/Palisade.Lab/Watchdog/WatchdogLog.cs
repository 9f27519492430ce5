using Microsoft.Extensions.Logging;

namespace Palisade.Lab;

internal static partial class Log
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "{Node}: simulated watchdog on {Fifo}, timeout {TimeoutSeconds} s")]
    public static partial void WatchdogWatching(ILogger logger, string node, string fifo, double timeoutSeconds);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "{Node}: watchdog armed (a writer opened it)")]
    public static partial void WatchdogArmed(ILogger logger, string node);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "{Node}: watchdog disarmed (magic close)")]
    public static partial void WatchdogDisarmed(ILogger logger, string node);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "{Node}: watchdog closed without the magic character: it stays armed and resets the node unless fed within {TimeoutSeconds} s")]
    public static partial void WatchdogClosedArmed(ILogger logger, string node, double timeoutSeconds);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "{Node}: watchdog not fed for {UnfedMs} ms: resetting the node")]
    public static partial void WatchdogFiring(ILogger logger, string node, long unfedMs);

    [LoggerMessage(EventId = 45, Level = LogLevel.Information, Message = "{Node}: watchdog reset done (power script exit {ExitCode}) {Stderr}")]
    public static partial void WatchdogReset(ILogger logger, string node, int exitCode, string stderr);

    [LoggerMessage(EventId = 47, Level = LogLevel.Information, Message = "{Node}: watchdog not fed, but the node is off: its watchdog is off with it")]
    public static partial void WatchdogNodeOff(ILogger logger, string node);

    [LoggerMessage(EventId = 48, Level = LogLevel.Information, Message = "{Node}: watchdog first fed {AfterMs} ms after it was armed")]
    public static partial void WatchdogFirstFeed(ILogger logger, string node, long afterMs);

    [LoggerMessage(EventId = 46, Level = LogLevel.Warning, Message = "{Node}: watchdog device cannot be read: {Reason}")]
    public static partial void WatchdogReadFailed(ILogger logger, string node, string reason);
}
