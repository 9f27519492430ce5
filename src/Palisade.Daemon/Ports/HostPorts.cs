using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Palisade.Agents.Monitors;
using Palisade.Core.Configuration;
using Palisade.Corosync;

namespace Palisade.Daemon;

/// <summary>
/// Everything outside the process that the host touches: corosync, the agents, the administration LAN, the disk and
/// the clock (and randomness). <see cref="Program"/> wires the real ones; the simulator wires its own, so the same host code runs in both.
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
    /// <summary>Fresh random bytes (instance names); the simulator draws them from its seed.</summary>
    public Func<int, byte[]> RandomBytes { get; init; } = RandomNumberGenerator.GetBytes;

    /// <summary>
    /// The checks of the monitors of the <c>monitors:</c> list; null: the real ones (they read /proc, netlink, disks,
    /// run commands, or the resource agents of <see cref="ResourceAgents"/>).
    /// </summary>
    public Func<MonitorConfig, IMonitorCheck>? MonitorChecks { get; init; }

    /// <summary>
    /// Runs a command of the cluster file (recovery script, pre-action, node action); the real one is a child process,
    /// the simulator answers from its world.
    /// </summary>
    public Func<Agents.ProcessSpec, CancellationToken, Task<Agents.ProcessResult>> Commands { get; init; } = Agents.ProcessRunner.RunAsync;
}
