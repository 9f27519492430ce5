using System.Collections.Immutable;
using Palisade.Core.Configuration;

namespace Palisade.Simulation.World;

/// <summary>One machine of the simulated world: its power, its corosync, its networks, its disk and its palisaded.</summary>
internal sealed class SimNode(NodeConfig config)
{
    public NodeConfig Config { get; } = config;

    public string Name => Config.Name;

    public uint Id => Config.Id;

    public bool Powered { get; set; }

    public bool CorosyncAlive { get; set; }

    /// <summary>How many times corosync has started on this node: a message belongs to the run that took it.</summary>
    public int CorosyncRuns { get; set; }

    /// <summary>Side of the interconnect this node is on; nodes on one side reach each other.</summary>
    public int Side { get; set; }

    /// <summary>Side of the administration LAN, cut independently of the interconnect.</summary>
    public int AdminSide { get; set; }

    /// <summary>corosync's current ring as this node's corosync sees it; null while corosync is down.</summary>
    public ImmutableSortedSet<uint>? Ring { get; set; }

    public bool Quorate { get; set; }

    /// <summary>
    /// The ring this corosync last held quorum in: votequorum's auto_tie_breaker keeps the lowest node id of that
    /// membership, and an exact half keeps quorum only while it holds that node. Null until quorate once.
    /// </summary>
    public ImmutableSortedSet<uint>? LastQuorateRing { get; set; }

    /// <summary>votequorum wait_for_all satisfied since this corosync started.</summary>
    public bool WaitForAllCleared { get; set; }

    /// <summary>How far this node's wall clock is off (a clock jump); timers are not affected.</summary>
    public TimeSpan WallOffset { get; set; }

    public DateTimeOffset QuorumBusyUntil { get; set; }

    public DateTimeOffset SendBusyUntil { get; set; }

    /// <summary>The state directory: survives palisaded restarts and power cycles.</summary>
    public Dictionary<string, string> Disk { get; } = new(StringComparer.Ordinal);

    public SimProcess? Process { get; set; }

    public int Incarnations { get; set; }

    public bool DaemonRunning => Process is { Exited: false };

    public override string ToString() => Name;
}
