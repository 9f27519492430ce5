using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>The log lines of the fence-agent runner. Reasons are scrubbed of secrets before they get here.</summary>
internal static partial class FenceAgentLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "{Target}: {Operation} via {Agent}, limit {TimeoutMs:0} ms")]
    public static partial void OperationStarting(ILogger logger, string target, string operation, string agent, double timeoutMs);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Debug, Message = "{Target}: {Agent} action={Action} -> exit {ExitCode}, timed out {TimedOut}, {DurationMs:0} ms")]
    public static partial void ActionFinished(ILogger logger, string target, string agent, string action, int? exitCode, bool timedOut, double durationMs);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Debug, Message = "{Target}: {Agent} reports power {State}, waiting for {Wanted}")]
    public static partial void PowerPolled(ILogger logger, string target, string agent, PowerState state, PowerState wanted);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "{Target}: {Operation} via {Agent} -> {Outcome} in {DurationMs:0} ms: {Reason}")]
    public static partial void OperationFinished(ILogger logger, string target, string operation, string agent, AgentOutcome outcome, string reason, double durationMs);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "{Target}: fence agent {Agent} cannot run: {Reason}")]
    public static partial void NotConfigured(ILogger logger, string target, string agent, string reason);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Debug, Message = "{Path}: metadata read in {DurationMs:0} ms, {Parameters} parameters, actions {Actions}")]
    public static partial void MetadataLoaded(ILogger logger, string path, int parameters, string actions, double durationMs);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Debug, Message = "{Target}: {Agent} lists {Count} plugs, {Plugs} among them")]
    public static partial void PlugListed(ILogger logger, string target, string agent, int count, string plugs);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Warning, Message = "{Target}: {Agent} does not list {Plugs}; refusing to {Operation}")]
    public static partial void PlugNotListed(ILogger logger, string target, string agent, string plugs, string operation);

    [LoggerMessage(EventId = 3208, Level = LogLevel.Warning, Message = "{Target}: {Agent} list failed, so {Plugs} cannot be checked before {Operation}: {Problem}")]
    public static partial void PlugListFailed(ILogger logger, string target, string agent, string plugs, string operation, string problem);

    [LoggerMessage(EventId = 3209, Level = LogLevel.Information, Message = "{Target}: {Agent} declares a list action but cannot list ({Output}); {Plugs} not checked")]
    public static partial void PlugListUnsupported(ILogger logger, string target, string agent, string output, string plugs);
}
