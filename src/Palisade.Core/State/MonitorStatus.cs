using System.Collections.Immutable;

namespace Palisade.Core.State;

/// <summary>What a monitor says on one node.</summary>
public enum MonitorHealth
{
    Normal,
    Warning,
    Error,
    Unknown,

    /// <summary>Not monitored on that node (its target is not active there).</summary>
    Offline,
    Suspended,
}

/// <summary>One monitor on one node: its health and the errors it detected there, each answered by one rung.</summary>
public sealed record MonitorOnNode
{
    public MonitorHealth Health { get; init; } = MonitorHealth.Normal;
    public string Reason { get; init; } = "";
    public DateTimeOffset? Since { get; init; }

    /// <summary>Errors detected on this node so far.</summary>
    public int Detections { get; init; }

    /// <summary>The last detection a recovery rung was ordered for; a higher <see cref="Detections"/> is waiting for one.</summary>
    public int Handled { get; init; }
}

/// <summary>Rungs of the recovery ladder used so far by one monitor, cluster-wide (a failover does not reset them).</summary>
public sealed record RecoveryCounters(int Restarts = 0, int Failovers = 0, int FinalActions = 0, int Scripts = 0);

/// <summary>A monitor as the replicated state holds it; the resource monitors are named <c>GROUP/RESOURCE</c>.</summary>
public sealed record MonitorStatus
{
    public required string Name { get; init; }

    public ImmutableSortedDictionary<string, MonitorOnNode> Nodes { get; init; } = ImmutableSortedDictionary<string, MonitorOnNode>.Empty;

    public RecoveryCounters Counters { get; init; } = new();

    /// <summary>When the monitor's target last started cleanly after an error (the reset_after clock), by the sender's clock.</summary>
    public DateTimeOffset? CleanSince { get; init; }

    public MonitorOnNode On(string node) => Nodes.GetValueOrDefault(node) ?? new MonitorOnNode();
}
