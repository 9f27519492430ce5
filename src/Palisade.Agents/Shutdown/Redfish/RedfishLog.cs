using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>Log lines of the redfish agent (EventIds 3250-3259). Paths and status codes only: never a header or a body.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3250, Level = LogLevel.Debug, Message = "{Target}: redfish {Call} -> {Status} in {DurationMs:0} ms")]
    public static partial void RedfishCallFinished(ILogger logger, string target, string call, int status, double durationMs);

    [LoggerMessage(EventId = 3251, Level = LogLevel.Debug, Message = "{Target}: redfish {Call} failed: {Problem}")]
    public static partial void RedfishCallFailed(ILogger logger, string target, string call, string problem);

    [LoggerMessage(EventId = 3252, Level = LogLevel.Warning, Message = "{Target}: TLS verification is off for the BMC at {Bmc}: any certificate is accepted, so anyone on that network can pose as it")]
    public static partial void RedfishTlsUnverified(ILogger logger, string target, string bmc);

    [LoggerMessage(EventId = 3253, Level = LogLevel.Information, Message = "{Target}: reading the event stream of the BMC at {Bmc} ({Uri})")]
    public static partial void RedfishStreamOpen(ILogger logger, string target, string bmc, string uri);
}
