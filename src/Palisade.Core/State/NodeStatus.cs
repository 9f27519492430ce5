namespace Palisade.Core.State;

public sealed record NodeStatus
{
    public required string Name { get; init; }
    public required uint Id { get; init; }
    public NodeState State { get; init; } = NodeState.Offline;

    /// <summary>One line saying why the node is in its state.</summary>
    public string Reason { get; init; } = "not seen yet";

    /// <summary>Has been a member since the cluster formed (a node never seen may run resources from an earlier life).</summary>
    public bool Seen { get; init; }

    /// <summary>Has reported what it runs (<see cref="Messages.ProbeReport"/>) since it last joined.</summary>
    public bool Probed { get; init; }

    /// <summary>When the current state began, by the clock of the node that caused it; null when corosync caused it.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Node running the shutdown agents while <see cref="NodeState.Fencing"/>.</summary>
    public string? FencingBy { get; init; }

    /// <summary>Failed fence attempts since the node was last healthy (drives the retry backoff).</summary>
    public int FenceFailures { get; init; }

    public DateTimeOffset? LastFenceAttempt { get; init; }

    /// <summary>The operator who asked to stop this node by force, while that request is pending.</summary>
    public string? KillRequestedBy { get; init; }

    /// <summary>The node's shutdown daemon runs; a node whose daemon is stopped is never asked to fence.</summary>
    public bool ShutdownDaemon { get; init; } = true;

    /// <summary>The palisaded process that last reported from the node (see <see cref="Messages.ProbeReport"/>).</summary>
    public string Instance { get; init; } = "";

    /// <summary>palisaded on the node is shutting down cleanly: nothing new is placed there.</summary>
    public bool Leaving { get; init; }

    /// <summary>
    /// Groups placed on another node that this node's probe could not tell about (a monitor failed or timed out): it
    /// may run them in part, so it stops them before they can ever be placed here; a failed stop makes it Unclean.
    /// </summary>
    public System.Collections.Immutable.ImmutableSortedSet<string> MustStop { get; init; } = [];

    /// <summary>
    /// A final action wants the node powered off (and perhaps on again): while it is Online its palisaded stops its
    /// groups and leaves, and the clean leave makes it Unclean to be fenced; while Unclean, what the fence does after
    /// the node is confirmed off.
    /// </summary>
    public Configuration.NodePowerAction PowerAction { get; init; }

    /// <summary>
    /// An operator put the node in standby: it stays a member and fences and is fenced as any other, but no group is
    /// placed on it and the groups it runs move away. Kept on every node's disk, like a group's target.
    /// </summary>
    public bool Standby { get; init; }

    /// <summary>When the operator last set or cleared <see cref="Standby"/> (the intent's stamp); null: never.</summary>
    public DateTimeOffset? StandbySince { get; init; }

    /// <summary>Who last set or cleared <see cref="Standby"/>.</summary>
    public string? StandbyBy { get; init; }

    /// <summary>
    /// Lost (palisaded stopped or died, or the node left the ring) during maintenance: it may still run its groups, as
    /// maintenance intends. Back during maintenance with nothing that conflicts, it is Online again without a fence;
    /// still away when maintenance ends, it is fenced like any Unclean node.
    /// </summary>
    public bool LeftInMaintenance { get; init; }

    /// <summary>Joined the membership while it was being fenced: once the fence is confirmed, that was a new boot.</summary>
    public bool RejoinedWhileFencing { get; init; }
}
