using System.Collections.Immutable;

namespace Palisade.Agents;

public enum PowerState
{
    On,
    Off,
    Unknown,
}

/// <summary>The node a shutdown agent acts on: its name and every address it has (interconnect first, then admin).</summary>
public sealed record ShutdownTarget(string Name, uint Id, ImmutableArray<string> Addresses);

/// <summary>
/// One way of making sure a node is stopped (a BMC, a hypervisor, a cloud API, a crash-dump announcement).
/// The shutdown daemon runs <see cref="InitAsync"/> when it starts, <see cref="TestAsync"/> periodically and
/// <see cref="KillAsync"/> when the node must be stopped. Every call keeps within the agent's configured timeout.
/// </summary>
public interface IShutdownAgent
{
    /// <summary>The configured agent type, e.g. <c>ipmi</c>.</summary>
    string Type { get; }

    /// <summary>Local checks only: parameters, binaries, credentials. Nothing is sent to the node or its BMC.</summary>
    Task<AgentResult> InitAsync(CancellationToken ct);

    /// <summary>Checks that this node can reach the target's fencing path, without stopping the target.</summary>
    Task<AgentResult> TestAsync(CancellationToken ct);

    /// <summary>
    /// <see cref="AgentOutcome.Success"/> only once the target is confirmed off (kdump: its dump kernel announced
    /// itself; icmp: none of its addresses answers).
    /// </summary>
    Task<AgentResult> KillAsync(CancellationToken ct);
}

/// <summary>Agents that switch power both ways and read it (BMCs, hypervisors).</summary>
public interface IPowerSwitch
{
    Task<(AgentResult Result, PowerState State)> PowerStatusAsync(CancellationToken ct);

    /// <summary><see cref="AgentOutcome.Success"/> only once the agent has confirmed the target is on.</summary>
    Task<AgentResult> PowerOnAsync(CancellationToken ct);
}

/// <summary>Agents whose BMC can send the node a diagnostic interrupt (NMI): its kernel panics and, with kdump, dumps.</summary>
public interface INmiSwitch
{
    /// <summary>
    /// <see cref="AgentOutcome.Success"/> once the BMC has accepted the interrupt. That confirms nothing: the node is
    /// stopped only when a kill confirms it (its kdump announcing itself, or the power read off).
    /// </summary>
    Task<AgentResult> NmiAsync(CancellationToken ct);
}
