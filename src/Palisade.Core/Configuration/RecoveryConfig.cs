namespace Palisade.Core.Configuration;

/// <summary>
/// What the cluster does each time a monitor detects an error (the recovery action): the next rung of the ladder,
/// restart in place, then fail over, then the final action, each used up to its limit. The counters behind the limits
/// belong to the monitor and are replicated: a failover does not reset them; `palisade group cleanup` does, and so
/// does <see cref="ResetAfter"/> of running without an error.
/// </summary>
public sealed record RecoveryConfig
{
    /// <summary>The ladder of a resource's own monitor: one restart in place, one failover, then nothing more.</summary>
    public static readonly RecoveryConfig ResourceDefault = new();

    /// <summary>The recovery script: a command run on the node where the error was detected, before any restart.</summary>
    public string? Script { get; init; }

    /// <summary>How long the recovery script may run.</summary>
    public TimeSpan ScriptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many errors the recovery script answers before the next rung (default 1 with a script).</summary>
    public int ScriptLimit { get; init; }

    /// <summary>A command run on the node before the restart, failover or final action it names.</summary>
    public PreActionConfig? PreAction { get; init; }

    /// <summary>How many times the group is stopped and started again on the node where the error was detected.</summary>
    public int RestartLimit { get; init; } = 1;

    /// <summary>How many times the group is moved to another node.</summary>
    public int FailoverLimit { get; init; } = 1;

    /// <summary>What the ladder acts on: the monitor's group (default), one resource of it, or every group on the node.</summary>
    public RecoveryScope Scope { get; init; } = RecoveryScope.Group;

    /// <summary>With <see cref="RecoveryScope.Resource"/>: the resource a restart stops and starts again (with those after it).</summary>
    public string? Resource { get; init; }

    /// <summary>What is done once the restarts and failovers are used up.</summary>
    public FinalAction FinalAction { get; init; } = FinalAction.None;

    /// <summary>
    /// With no node left in the server group the group leaves, a failover goes to a node of another server group
    /// (for monitors that report a whole site's loss); otherwise it waits for one in its own.
    /// </summary>
    public bool FailoverOutsideServerGroup { get; init; }

    /// <summary>The counters go back to zero once the group has run this long with no error; null: never.</summary>
    public TimeSpan? ResetAfter { get; init; }
}

/// <summary>A command run before some rungs of the ladder, on the node where the error was detected (CLUSTERPRO's pre-action).</summary>
public sealed record PreActionConfig
{
    public required string Script { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every rung a pre-action can run before.</summary>
    public static readonly System.Collections.Immutable.ImmutableArray<string> Rungs = ["restart", "failover", "final"];

    /// <summary>The rungs it runs before: restart, failover, final.</summary>
    public System.Collections.Immutable.ImmutableArray<string> Before { get; init; } = Rungs;
}

/// <summary>The last rung of the recovery ladder.</summary>
public enum FinalAction
{
    /// <summary>Nothing: the group stays where it is with the failed resource, and the monitor stays in Error.</summary>
    None,

    /// <summary>The group is stopped and stays stopped until an operator starts it.</summary>
    StopGroup,

    /// <summary>
    /// The resource (the recovery target, or the resource whose own monitor failed) and the resources after it are
    /// stopped; the group stays Online without them until it is stopped and started again or moved.
    /// </summary>
    StopResource,

    /// <summary>
    /// The node where the error was detected is powered off through its own shutdown agents (its BMC), as a fence:
    /// the cluster then starts the group elsewhere. Suppressed when no other node could run the group.
    /// </summary>
    BmcPowerOff,

    /// <summary>
    /// palisaded on the node where the error was detected stops every group there and leaves the cluster cleanly
    /// (it exits); the group then starts elsewhere. Suppressed when no other node could run the group.
    /// </summary>
    StopClusterService,

    /// <summary>
    /// palisaded on the node stops every group there and leaves the cluster cleanly; the cluster then powers the node
    /// off through its shutdown agents (its BMC). Suppressed when no other node could run the group.
    /// </summary>
    StopClusterServiceAndShutdown,

    /// <summary>As <see cref="StopClusterServiceAndShutdown"/>, and the node is powered on again once confirmed off.</summary>
    StopClusterServiceAndReboot,

    /// <summary>
    /// The node is reset through its shutdown agents: powered off as a fence (confirmed off before the group starts
    /// elsewhere), then on again. Suppressed when no other node could run the group.
    /// </summary>
    BmcReset,

    /// <summary>The node's power is cycled through its shutdown agents: off (confirmed, as a fence), then on.</summary>
    BmcPowerCycle,

    /// <summary>
    /// The node is sent a diagnostic interrupt (NMI) through the first of its shutdown agents that can (its BMC): its
    /// kernel panics and, with kdump, dumps. The fence then confirms it stopped (a kdump agent hearing the dump
    /// kernel, or the BMC powering it off) before the group starts elsewhere.
    /// </summary>
    BmcNmi,

    /// <summary>A kernel panic of the node: with the default node actions, delivered as <see cref="BmcNmi"/>.</summary>
    Panic,
}

/// <summary>What a recovery ladder acts on (<c>recovery.target</c>).</summary>
public enum RecoveryScope
{
    /// <summary>The monitor's group: restarted in place, failed over, stopped.</summary>
    Group,

    /// <summary>
    /// One resource of the monitor's group: a restart stops and starts that resource (and the resources after it in
    /// the group, which depend on it) with the group left Online; the failover and final action act on the group.
    /// </summary>
    Resource,

    /// <summary>Every group active on the node where the error was detected (a node-wide cause: a NIC, a path).</summary>
    AllGroups,
}

/// <summary>What happens to a node's power once the cluster has confirmed it off, for a node-level final action.</summary>
public enum NodePowerAction
{
    /// <summary>No node-level action is pending.</summary>
    None,

    /// <summary>It stays off.</summary>
    Off,

    /// <summary>It is powered on again (reset, power cycle, reboot).</summary>
    Cycle,

    /// <summary>It is sent a diagnostic interrupt (NMI) first, so it panics and dumps, then confirmed stopped.</summary>
    Dump,
}
