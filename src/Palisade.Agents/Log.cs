using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>Every log line the agents write. Messages never carry secret values.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{Resource}: {Action} via {Agent}")]
    public static partial void ResourceActionStarting(ILogger logger, string resource, string action, string agent);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "{Resource}: {Action} -> {Outcome} in {DurationMs:0} ms: {Reason}")]
    public static partial void ResourceActionFinished(ILogger logger, string resource, string action, AgentOutcome outcome, string reason, double durationMs);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "{Resource}: cannot {Action}: {Reason}")]
    public static partial void ResourceNotConfigured(ILogger logger, string resource, string action, string reason);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Warning, Message = "{Resource}: stopped, but {Reason}; it still counts as running here")]
    public static partial void StartMarkerKept(ILogger logger, string resource, string reason);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "{Target}: {Operation} via {Agent} at {Bmc}, limit {TimeoutMs:0} ms")]
    public static partial void PowerOperationStarting(ILogger logger, string target, string operation, string agent, string bmc, double timeoutMs);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "{Target}: ipmitool {Command} -> exit {ExitCode}, timed out {TimedOut}, {DurationMs:0} ms")]
    public static partial void IpmiCommandFinished(ILogger logger, string target, string command, int? exitCode, bool timedOut, double durationMs);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Debug, Message = "{Target}: power is {State}, waiting for {Wanted}")]
    public static partial void PowerPolled(ILogger logger, string target, PowerState state, PowerState wanted);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "{Target}: {Operation} -> {Outcome} in {DurationMs:0} ms: {Reason}")]
    public static partial void PowerOperationFinished(ILogger logger, string target, string operation, AgentOutcome outcome, string reason, double durationMs);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "{Target}: shutdown agent {Agent} cannot run: {Reason}")]
    public static partial void ShutdownAgentNotConfigured(ILogger logger, string target, string agent, string reason);
}
