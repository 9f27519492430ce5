using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>Log lines of the icmp agent (EventIds 3270-3279).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3270, Level = LogLevel.Debug, Message = "{Target}: icmp echo {Sequence} to {Address} -> {Status} in {RoundtripMs} ms")]
    public static partial void IcmpEcho(ILogger logger, string target, string address, int sequence, string status, long roundtripMs);

    [LoggerMessage(EventId = 3271, Level = LogLevel.Debug, Message = "{Target}: icmp echo {Sequence} to {Address} could not be sent: {Problem}")]
    public static partial void IcmpEchoFailed(ILogger logger, string target, string address, int sequence, string problem);
}
