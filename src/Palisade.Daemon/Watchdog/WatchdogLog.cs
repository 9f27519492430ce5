using Microsoft.Extensions.Logging;

namespace Palisade.Daemon;

internal static partial class WatchdogLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "watchdog {Path} opened (timeout {TimeoutSeconds} s): fed while this node waits for quorum")]
    public static partial void Opened(ILogger logger, string path, double timeoutSeconds);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "watchdog {Path}: this node is healthy; feeding it every {IntervalMs} ms")]
    public static partial void Healthy(ILogger logger, string path, double intervalMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Critical, Message = "watchdog {Path}: STOPPED FEEDING: {Reason}; the watchdog resets this node within {TimeoutSeconds} s, and this node fences nobody")]
    public static partial void Starving(ILogger logger, string path, string reason, double timeoutSeconds);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "watchdog {Path} disarmed (magic close) on a clean leave")]
    public static partial void Disarmed(ILogger logger, string path);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "watchdog {Path}: leaving with the watchdog armed, since this node stopped feeding it ({Reason}): it resets this node within {TimeoutSeconds} s")]
    public static partial void LeavingArmed(ILogger logger, string path, string reason, double timeoutSeconds);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Error, Message = "watchdog {Path}: write failed: {Reason}")]
    public static partial void WriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "watchdog {Path}: {Note}")]
    public static partial void DeviceNote(ILogger logger, string path, string note);
}
