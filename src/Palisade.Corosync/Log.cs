using Microsoft.Extensions.Logging;

namespace Palisade.Corosync;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Connected to corosync as node {NodeId}; joined CPG group {Group}")]
    public static partial void Opened(ILogger logger, uint nodeId, string group);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information,
        Message = "CPG group {Group} membership: [{Members}]; left: [{Left}]; joined: [{Joined}]")]
    public static partial void CpgMembershipChanged(ILogger logger, string group, string members, string left, string joined);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information,
        Message = "Totem ring {RingSeq}: nodes [{Members}]")]
    public static partial void TotemMembershipChanged(ILogger logger, ulong ringSeq, string members);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information,
        Message = "Quorum changed: quorate={Quorate}, nodes [{Members}]")]
    public static partial void QuorumChanged(ILogger logger, bool quorate, string members);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error,
        Message = "Lost the local corosync: {Reason}")]
    public static partial void CorosyncLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning,
        Message = "Sending {Length} bytes to CPG group {Group} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, int length, string group, string error);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information,
        Message = "Left CPG group {Group} and disconnected from corosync")]
    public static partial void Closed(ILogger logger, string group);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug,
        Message = "cpg_leave for group {Group} returned {Error}")]
    public static partial void LeaveFailed(ILogger logger, string group, string error);

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug,
        Message = "corosync flow control delayed a CPG message: sent after {Retries} retries, {ElapsedMs:0} ms")]
    public static partial void SendThrottled(ILogger logger, int retries, double elapsedMs);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error,
        Message = "A corosync callback failed; the event stream can no longer be trusted")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);
}
