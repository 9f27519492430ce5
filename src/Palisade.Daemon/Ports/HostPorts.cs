using Microsoft.Extensions.Logging;
using Palisade.Corosync;

namespace Palisade.Daemon;

/// <summary>
/// Everything outside the process that the host touches: corosync, the agents, the administration LAN, the disk and
/// the clock. <see cref="Program"/> wires the real ones; the simulator wires its own, so the same host code runs in both.
/// </summary>
internal sealed record HostPorts(
    ICorosyncLink Link,
    IResourceAgentFactory ResourceAgents,
    IShutdownAgentFactory ShutdownAgents,
    IAdminLan AdminLan,
    IStateDisk Disk,
    TimeProvider Time,
    ILoggerFactory Loggers)
{
    /// <summary>The key that signs partition adverts (the corosync authkey); null sends them unsigned.</summary>
    public byte[]? AdvertKey { get; init; }
}
