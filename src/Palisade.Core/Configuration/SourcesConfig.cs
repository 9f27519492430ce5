using System.Collections.Immutable;

namespace Palisade.Core.Configuration;

/// <summary>
/// The node's built-in message sources (<c>sources:</c>): what palisaded itself turns into messages for its intake,
/// on every node.
/// </summary>
public sealed record SourcesConfig
{
    /// <summary>Interfaces whose link state is followed over netlink: a lost link is an error <c>NIC.IF</c>, its return a clear.</summary>
    public ImmutableArray<string> Links { get; init; } = [];

    /// <summary>The kernel log read against rule files; null when it is not read.</summary>
    public KernelLogSource? KernelLog { get; init; }

    /// <summary>Events of the other nodes' BMCs (Redfish EventService); null when none are followed.</summary>
    public RedfishEventsSource? RedfishEvents { get; init; }

    /// <summary>rasdaemon's error database, read for new hardware errors; null when it is not read.</summary>
    public RasdaemonSource? Rasdaemon { get; init; }

    public bool Any => !Links.IsDefaultOrEmpty || KernelLog is not null || RedfishEvents is not null || Rasdaemon is not null;
}

/// <summary><c>sources: rasdaemon</c>: the hardware errors rasdaemon records (memory, PCIe, machine checks, disks).</summary>
public sealed record RasdaemonSource
{
    public const string DefaultDatabase = "/var/lib/rasdaemon/ras-mc_event.db";

    public string Database { get; init; } = DefaultDatabase;

    /// <summary>How often the database is read for new rows.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>How the BMCs' events reach this node.</summary>
public enum RedfishDelivery
{
    /// <summary>The BMC posts each event to this node's HTTPS intake (a subscription made by palisaded).</summary>
    Push,

    /// <summary>palisaded reads the BMC's server-sent event stream.</summary>
    Sse,
}

/// <summary>
/// <c>sources: redfish_events</c>: palisaded follows the EventService of the BMC of every other node that has a
/// <c>redfish</c> or <c>irmc</c> shutdown agent (or of <see cref="Nodes"/>), with that agent's address and credentials.
/// </summary>
public sealed record RedfishEventsSource
{
    public RedfishDelivery Delivery { get; init; } = RedfishDelivery.Push;

    /// <summary>The intake sender whose token the BMCs present when they push (its allow list must hold the BMCs).</summary>
    public string? Sender { get; init; }

    /// <summary>Whose BMCs to follow; empty: every other node with a Redfish agent.</summary>
    public ImmutableArray<string> Nodes { get; init; } = [];

    /// <summary>The first <c>redfish</c> or <c>irmc</c> agent of the node's chain: the BMC its events come from.</summary>
    public static ShutdownAgentConfig? BmcOf(NodeConfig node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.ShutdownAgents.FirstOrDefault(a => a.Type is "redfish" or "irmc");
    }

    /// <summary>The nodes whose BMCs <paramref name="local"/> follows.</summary>
    public IEnumerable<NodeConfig> FollowedFrom(ClusterConfig config, string local)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Nodes.Where(n => n.Name != local && BmcOf(n) is not null && (Nodes.IsDefaultOrEmpty || Nodes.Contains(n.Name)));
    }
}

/// <summary>The kernel log source: where to read, and which rule files to match.</summary>
public sealed record KernelLogSource
{
    public const string DefaultPath = "/dev/kmsg";

    /// <summary>The kernel's record device, or a log file that grows (followed from its end).</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>Rule files or directories of them; empty: the rules shipped with Palisade.</summary>
    public ImmutableArray<string> Rules { get; init; } = [];
}
