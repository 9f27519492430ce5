using Microsoft.Extensions.Logging;

namespace Palisade.Lab;

/// <summary>Logging of the Redfish BMCs' event service. Subscription headers are secrets and never appear here.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 60, Level = LogLevel.Information, Message = "Redfish BMC of {Node}: subscription {Id} created, events go to {Destination}")]
    public static partial void RedfishSubscribed(ILogger logger, string node, string id, string destination);

    [LoggerMessage(EventId = 61, Level = LogLevel.Information, Message = "Redfish BMC of {Node}: subscription {Id} deleted")]
    public static partial void RedfishUnsubscribed(ILogger logger, string node, string id);

    [LoggerMessage(EventId = 62, Level = LogLevel.Information, Message = "Redfish BMC of {Node}: event {EventId} {MessageId} ({Severity})")]
    public static partial void RedfishEventEmitted(ILogger logger, string node, long eventId, string messageId, string severity);

    [LoggerMessage(EventId = 63, Level = LogLevel.Warning, Message = "Redfish BMC of {Node}: delivery of event {EventId} to subscription {Id} failed (attempt {Attempt} of {Attempts}): {Reason}")]
    public static partial void RedfishDeliveryFailed(ILogger logger, string node, long eventId, string id, int attempt, int attempts, string reason);

    [LoggerMessage(EventId = 64, Level = LogLevel.Error, Message = "Redfish BMC of {Node}: event {EventId} dropped for subscription {Id} after {Attempts} failed attempts; the subscription stays")]
    public static partial void RedfishEventDropped(ILogger logger, string node, long eventId, string id, int attempts);

    [LoggerMessage(EventId = 65, Level = LogLevel.Error, Message = "Redfish BMC of {Node}: {Pending} events wait for subscription {Id}: event {EventId} dropped unsent")]
    public static partial void RedfishQueueFull(ILogger logger, string node, int pending, string id, long eventId);

    [LoggerMessage(EventId = 66, Level = LogLevel.Warning, Message = "cannot read the power ledger {Path}, trying again: {Reason}")]
    public static partial void LedgerUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 67, Level = LogLevel.Debug, Message = "Redfish BMC of {Node}: SSE stream {State} ({Replayed} events replayed)")]
    public static partial void RedfishEventStream(ILogger logger, string node, string state, int replayed);
}
