using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>Log lines of the kdump listener and agent (EventIds 3260-3269).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3260, Level = LogLevel.Information, Message = "kdump: listening on udp {Port} on {Addresses}")]
    public static partial void KdumpListening(ILogger logger, int port, string addresses);

    [LoggerMessage(EventId = 3261, Level = LogLevel.Debug, Message = "kdump: udp {Port}: ignored a datagram from {Source}: {Problem}")]
    public static partial void KdumpPacketIgnored(ILogger logger, int port, string source, string problem);

    [LoggerMessage(EventId = 3262, Level = LogLevel.Debug, Message = "kdump: udp {Port}: announcement from {Source}, {Waiting} kill(s) waiting for it")]
    public static partial void KdumpAnnounced(ILogger logger, int port, string source, int waiting);

    [LoggerMessage(EventId = 3263, Level = LogLevel.Warning, Message = "kdump: udp {Port}: receive failed: {Problem}")]
    public static partial void KdumpReceiveFailed(ILogger logger, int port, string problem);

    [LoggerMessage(EventId = 3264, Level = LogLevel.Information, Message = "kdump: stopped listening on udp {Port}")]
    public static partial void KdumpListenerClosed(ILogger logger, int port);

    [LoggerMessage(EventId = 3265, Level = LogLevel.Information, Message = "{Target}: waiting up to {TimeoutMs:0} ms for a kdump announcement from {Sources} on udp {Port}")]
    public static partial void KdumpWaiting(ILogger logger, string target, double timeoutMs, string sources, int port);
}
