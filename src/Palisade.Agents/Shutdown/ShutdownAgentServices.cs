using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>What every shutdown agent of one process shares: logging, time and long-lived listeners.</summary>
public sealed class ShutdownAgentServices(ILoggerFactory loggers, TimeProvider time)
{
    public ILoggerFactory Loggers { get; } = loggers;

    public TimeProvider Time { get; } = time;
}
