using System.Collections.Immutable;

namespace Palisade.Core.Configuration;

/// <summary>What a monitor of the top-level <c>monitors:</c> list watches.</summary>
public enum MonitorKind
{
    /// <summary>A process by name (or pid file) is alive, at least <see cref="MonitorConfig.MinCount"/> of them.</summary>
    Process,

    /// <summary>At least one of <see cref="MonitorConfig.Addresses"/> answers ICMP echo.</summary>
    Ip,

    /// <summary>The link of <see cref="MonitorConfig.Interface"/> is up with carrier (netlink).</summary>
    Nic,

    /// <summary>A direct read of <see cref="MonitorConfig.Path"/> finishes within the timeout.</summary>
    Disk,

    /// <summary><see cref="MonitorConfig.Command"/> exits 0 (Normal), 1 (Error) or 2 (Warning).</summary>
    Custom,

    /// <summary>The monitor action of the resource <see cref="MonitorConfig.Resource"/> (<c>GROUP/RESOURCE</c>): running is Normal.</summary>
    Resource,

    /// <summary>
    /// The external-link monitor: passive, never polls. An error message of <see cref="MonitorConfig.Category"/> (for
    /// <see cref="MonitorConfig.Keyword"/>, or any device without one) concerning a node trips it there.
    /// </summary>
    External,
}

/// <summary>When a monitor runs on a node.</summary>
public enum MonitorTiming
{
    /// <summary>Always, on every node it is placed on.</summary>
    Always,

    /// <summary>Only while its target group is Online on that node.</summary>
    Active,
}

/// <summary>
/// One monitor of the top-level <c>monitors:</c> list. Each runs on its nodes, reports Normal, Warning or Error to the
/// replicated state, and an Error where its target group runs moves that group's recovery ladder one rung.
/// </summary>
public sealed record MonitorConfig
{
    public required string Name { get; init; }
    public required MonitorKind Kind { get; init; }

    /// <summary>The group the recovery acts on.</summary>
    public required string Target { get; init; }

    /// <summary>process: the process name (as in /proc/PID/comm, or the first word of its command line).</summary>
    public string? Process { get; init; }

    /// <summary>process: a pid file whose process must be alive.</summary>
    public string? PidFile { get; init; }

    /// <summary>process: how many processes of that name must be alive.</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>ip: the addresses pinged; Error when none answers.</summary>
    public ImmutableArray<string> Addresses { get; init; } = [];

    /// <summary>nic: the interface whose link state is watched.</summary>
    public string? Interface { get; init; }

    /// <summary>disk: the file or block device read with O_DIRECT.</summary>
    public string? Path { get; init; }

    /// <summary>resource: <c>GROUP/RESOURCE</c>, whose agent's monitor action is run.</summary>
    public string? Resource { get; init; }

    /// <summary>custom: a command run with /bin/sh -c.</summary>
    public string? Command { get; init; }

    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed checks in a row that are still not an error (the next one is).</summary>
    public int Retries { get; init; }

    /// <summary>How long after palisaded starts (or the target starts, with timing active) the first check waits.</summary>
    public TimeSpan StartDelay { get; init; }

    public MonitorTiming Timing { get; init; } = MonitorTiming.Always;

    /// <summary>The nodes that run it; empty: every node of the target group.</summary>
    public ImmutableArray<string> Nodes { get; init; } = [];

    /// <summary>A check that times out counts as a failure (true), or is ignored (false: <c>on_timeout: ignore</c>).</summary>
    public bool TimeoutIsError { get; init; } = true;

    public RecoveryConfig Recovery { get; init; } = RecoveryConfig.ResourceDefault;

    /// <summary>External monitors: the message category that trips it (NIC, FC, HA/SS, ...).</summary>
    public string? Category { get; init; }

    /// <summary>External monitors: the device; null: any device of the category.</summary>
    public string? Keyword { get; init; }

    /// <summary>External monitors: integrated with a management layer, so its status is never set by hand.</summary>
    public string? ManagedBy { get; init; }

    /// <summary>The nodes this monitor runs on, given its target group.</summary>
    public ImmutableArray<string> NodesFor(GroupConfig target) => Nodes.IsEmpty ? target.Nodes : Nodes;

    public static string KindName(MonitorKind kind) => kind.ToString().ToLowerInvariant();
}
