using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

internal static partial class WatchdogLog
{
    [LoggerMessage(EventId = 3401, Level = LogLevel.Information, Message = "{Target} via watchdog: waiting {WaitMs} ms for its watchdog to have reset it ({Basis})")]
    public static partial void Waiting(ILogger logger, string target, long waitMs, string basis);
}
