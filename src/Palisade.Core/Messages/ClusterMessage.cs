using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Palisade.Core.Shutdown;
using Palisade.Core.State;

namespace Palisade.Core.Messages;

/// <summary>
/// Everything that changes cluster state is one of these, delivered to every node in the same order.
/// Membership changes come from corosync; all others are sent by a node and carry its name and clock.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(MembershipChanged), "membership")]
[JsonDerivedType(typeof(StateSnapshot), "snapshot")]
[JsonDerivedType(typeof(StateDigest), "digest")]
[JsonDerivedType(typeof(ClusterSettled), "settled")]
[JsonDerivedType(typeof(GroupStartOrdered), "start-ordered")]
[JsonDerivedType(typeof(GroupStopOrdered), "stop-ordered")]
[JsonDerivedType(typeof(ResourceReport), "resource")]
[JsonDerivedType(typeof(GroupStarted), "started")]
[JsonDerivedType(typeof(GroupStartFailed), "start-failed")]
[JsonDerivedType(typeof(GroupStopped), "stopped")]
[JsonDerivedType(typeof(GroupStopFailed), "stop-failed")]
[JsonDerivedType(typeof(GroupGaveUp), "gave-up")]
[JsonDerivedType(typeof(ResourceFailed), "resource-failed")]
[JsonDerivedType(typeof(FenceStarted), "fence-started")]
[JsonDerivedType(typeof(FenceCompleted), "fence-completed")]
[JsonDerivedType(typeof(AdminRequest), "admin")]
[JsonDerivedType(typeof(NodeLeaving), "leaving")]
[JsonDerivedType(typeof(NoState), "no-state")]
[JsonDerivedType(typeof(TotemChanged), "totem")]
[JsonDerivedType(typeof(ProbeReport), "probe")]
[JsonDerivedType(typeof(FenceAttempted), "fence-attempted")]
[JsonDerivedType(typeof(FenceRequested), "fence-requested")]
[JsonDerivedType(typeof(NodeConfirmedDown), "confirmed-down")]
[JsonDerivedType(typeof(ShutdownDaemonChanged), "sd-changed")]
[JsonDerivedType(typeof(HistoryImported), "history-imported")]
[JsonDerivedType(typeof(NodeUnresponsive), "unresponsive")]
[JsonDerivedType(typeof(NodeCleared), "cleared")]
[JsonDerivedType(typeof(RecoveryOrdered), "recovery")]
[JsonDerivedType(typeof(RecoveryReset), "recovery-reset")]
[JsonDerivedType(typeof(MonitorCommand), "monitor-command")]
[JsonDerivedType(typeof(MonitorReported), "monitor-reported")]
[JsonDerivedType(typeof(ExternalEvent), "external")]
[JsonDerivedType(typeof(NodeDownChecked), "down-checked")]
[JsonDerivedType(typeof(NodeStandbyRequest), "standby")]
[JsonDerivedType(typeof(MaintenanceRequest), "maintenance")]
[JsonDerivedType(typeof(PathTestsReported), "path-tests")]
[JsonDerivedType(typeof(AlertsDelivered), "alerts-delivered")]
public abstract record ClusterMessage;

/// <summary>A CPG configuration change: who is in the group now, who left and why, who joined.</summary>
public sealed record MembershipChanged(
    ImmutableArray<uint> Members,
    ImmutableArray<MemberLeft> Left,
    ImmutableArray<uint> Joined) : ClusterMessage;

public sealed record MemberLeft(uint NodeId, LeaveReason Reason);

/// <summary>
/// The corosync membership (every node whose corosync is in this ring, palisaded running or not), delivered in the
/// same stream as the CPG messages. It does not change the state; it tells a side of a partition whether it could
/// have had quorum.
/// </summary>
public sealed record TotemChanged(ImmutableArray<uint> Members) : ClusterMessage;

/// <summary>A message sent by a node: its name and its clock when it sent it.</summary>
public abstract record NodeMessage : ClusterMessage
{
    /// <summary>Sender's node name; stamped by the sender when the message is put on the stream.</summary>
    public string From { get; init; } = "";

    public DateTimeOffset At { get; init; }
}

/// <summary>The whole state, sent by a synced member for members that just joined.</summary>
public sealed record StateSnapshot(ImmutableArray<uint> For, ClusterState State) : NodeMessage;

/// <summary>
/// Hash of the sender's state at a version; every node that shares the sender's view compares it with its own.
/// </summary>
/// <param name="View">The CPG members the sender's state held: a digest sent before the sender heard of a membership
/// change is delivered after it, and a version of another partition's state is not comparable.</param>
public sealed record StateDigest(long Version, string Hash, ImmutableArray<uint>? View = null) : NodeMessage;

/// <summary>The cluster has formed (every node joined, or the join window ended); placement may begin.</summary>
public sealed record ClusterSettled(string Reason) : NodeMessage;

public sealed record GroupStartOrdered(string Group, string Node, string Reason) : NodeMessage;

public sealed record GroupStopOrdered(string Group, string Node, string Reason) : NodeMessage;

public sealed record ResourceReport(string Group, string Resource, string Node, ResourceState State, string Reason) : NodeMessage;

public sealed record GroupStarted(string Group, string Node) : NodeMessage;

/// <summary>A start failed and the resources already started were stopped again (the node is clean).</summary>
public sealed record GroupStartFailed(string Group, string Node, string Reason) : NodeMessage;

public sealed record GroupStopped(string Group, string Node, string Reason) : NodeMessage;

/// <summary>A stop failed: the node may still run part of the group, so it must be fenced.</summary>
public sealed record GroupStopFailed(string Group, string Node, string Reason) : NodeMessage;

/// <summary>The group failed to start on every node it may run on.</summary>
public sealed record GroupGaveUp(string Group, string Reason) : NodeMessage;

/// <summary>A monitor found an Online resource failed.</summary>
public sealed record ResourceFailed(string Group, string Resource, string Node, string Reason) : NodeMessage;

/// <summary>
/// The coordinator (or partition resolution) decided to stop <paramref name="Target"/>; <paramref name="Executor"/>
/// is the node whose shutdown daemon runs the target's agent chain (the sender when null).
/// </summary>
/// <param name="PowerOnAfter">Once the target is confirmed off, it is powered on again (a final action's reset).</param>
/// <param name="DumpFirst">The target is sent a diagnostic interrupt (NMI) before its chain runs (a final action's panic).</param>
public sealed record FenceStarted(string Target, string Reason, string? Executor = null, FenceOrigin Origin = FenceOrigin.Recovery, bool PowerOnAfter = false, bool DumpFirst = false) : NodeMessage;

/// <summary>One agent of the chain was tried on <paramref name="Target"/>; goes into the fence history.</summary>
/// <param name="AgentIndex">1-based position of the agent in the target's chain.</param>
public sealed record FenceAttempted(
    string Target,
    int AgentIndex,
    string Agent,
    string Action,
    DateTimeOffset Started,
    long DurationMs,
    FenceResult Result,
    string Reason) : NodeMessage;

/// <summary>An operator asked to stop <paramref name="Target"/> by force (<c>palisade sd -k</c>).</summary>
public sealed record FenceRequested(string Target, string By) : NodeMessage;

/// <summary>An operator confirmed by hand that <paramref name="Target"/> is down (<c>palisade sd --confirm-down</c>).</summary>
public sealed record NodeConfirmedDown(string Target, string By) : NodeMessage;

/// <summary>The sender's shutdown daemon started or stopped; a node whose daemon is stopped fences nobody.</summary>
public sealed record ShutdownDaemonChanged(bool Running, string Reason) : NodeMessage;

/// <summary>Fence history the sender kept on disk across a restart, merged into the cluster's.</summary>
public sealed record HistoryImported(ImmutableArray<FenceRecord> Records) : NodeMessage;

public sealed record FenceCompleted(string Target, bool Success, string Agent, string Reason) : NodeMessage;

/// <summary>
/// A node reported down (a <c>NODE</c> message, see <see cref="ExternalNoticeRules.NodeCategory"/>) was checked by the
/// node that received the report, through the target's own shutdown agents and without acting on it:
/// <paramref name="Confirmed"/> when an agent showed it stopped (power read back off, or its crash-dump kernel
/// announcing itself). <paramref name="Instance"/> is the target's palisaded as the checker knew it: a check about an
/// earlier life of the node changes nothing.
/// </summary>
public sealed record NodeDownChecked(string Target, bool Confirmed, string Agent, string Reason, long DurationMs, string Instance) : NodeMessage;

/// <summary>The rungs of the recovery ladder.</summary>
public enum RecoveryRung
{
    /// <summary>Stop the group and start it again on the same node.</summary>
    Restart,

    /// <summary>Move the group to another node.</summary>
    Failover,

    /// <summary>The final action of the monitor's recovery.</summary>
    Final,

    /// <summary>Every rung is used up and the final action is none: nothing more is done.</summary>
    Exhausted,

    /// <summary>Run the recovery script on the node (the first rung when one is configured).</summary>
    Script,
}

/// <summary>
/// The coordinator answers error <paramref name="Detection"/> of <paramref name="Monitor"/> on
/// <paramref name="Node"/> with the next rung of its recovery ladder, which acts on <paramref name="Group"/>.
/// </summary>
/// <remarks><paramref name="To"/>: for a failover, the node chosen (the first that may run the group in the server group it leaves).</remarks>
/// <remarks><paramref name="Group"/> is <see cref="AllGroups"/> when the ladder acts on every group active on the node.</remarks>
public sealed record RecoveryOrdered(string Monitor, string Group, string Node, int Detection, RecoveryRung Rung, string Reason, string? To = null) : NodeMessage
{
    /// <summary>The <see cref="Group"/> of an order for every group active on the node (recovery target all_groups).</summary>
    public const string AllGroups = "*";
}

/// <summary>The coordinator resets the counters of <paramref name="Monitor"/>: its group has run without an error for reset_after.</summary>
public sealed record RecoveryReset(string Monitor, string Reason) : NodeMessage;

/// <summary>What an operator can do to a monitor (<c>palisade monitor suspend|resume|clear</c>).</summary>
public enum MonitorAction
{
    /// <summary>The monitor is not run on the node (or on every node) until resumed: nothing it would see is detected.</summary>
    Suspend,
    Resume,

    /// <summary>Status back to Normal and its recovery counters to zero.</summary>
    Clear,
}

/// <summary>An operator's command for <paramref name="Monitor"/> on <paramref name="Node"/>, or on every node when null.</summary>
public sealed record MonitorCommand(string Monitor, string? Node, MonitorAction Action, string By) : NodeMessage;

/// <summary>
/// <paramref name="Node"/> says what its run of <paramref name="Monitor"/> (of the <c>monitors:</c> list) finds now:
/// Normal, Warning or Error. A change to Error is one more error detected there.
/// </summary>
public sealed record MonitorReported(string Monitor, string Node, MonitorHealth Health, string Reason) : NodeMessage;

public sealed record AdminRequest(string Group, AdminAction Action, string? To, string By) : NodeMessage;

/// <summary>What the sender's shutdown daemon now finds testing each of its paths (sent when a result changes).</summary>
public sealed record PathTestsReported(ImmutableArray<PathTest> Paths) : NodeMessage;

/// <summary>An operator turns maintenance mode on or off for the whole cluster.</summary>
public sealed record MaintenanceRequest(bool On, string By) : NodeMessage;

/// <summary>An operator puts <paramref name="Node"/> in standby (<paramref name="Standby"/> true) or takes it out (online).</summary>
public sealed record NodeStandbyRequest(string Node, bool Standby, string By) : NodeMessage;

/// <summary>
/// The coordinator gave up waiting for <paramref name="Node"/> to finish a step (a stop overdue by every agent
/// timeout): it may still run what it was stopping, so it is made Unclean and fenced.
/// </summary>
public sealed record NodeUnresponsive(string Node, string Reason) : NodeMessage;

/// <summary>
/// The coordinator, itself Unclean and the only node left, declares itself clean: every other node is confirmed off
/// or left cleanly, so nothing can run twice, and its next probe tells all that runs. Nobody could fence it, and its
/// groups would stay blocked for good. Applied only while that still holds; a node declares only itself.
/// </summary>
public sealed record NodeCleared(string Node, string Reason) : NodeMessage;

/// <summary>The sender is shutting down cleanly: place nothing new on it; it stops its groups, then leaves.</summary>
public sealed record NodeLeaving(string Reason) : NodeMessage;

/// <summary>
/// The sender holds no state (it just joined, or merged back from a partition without quorum) and waits for a
/// snapshot. When every member has said so, they all start from the configuration at this point of the stream.
/// </summary>
public sealed record NoState(uint NodeId, string Reason) : NodeMessage
{
    /// <summary>
    /// The CPG members the sender had when it said so. An announcement counts only in that view: one queued while the
    /// view changed (a refused send, a ring forming) speaks for a moment the sender may since have left by taking
    /// the state. Empty from a sender that does not say (counted, as before).
    /// </summary>
    public ImmutableArray<uint> View { get; init; } = [];
}

/// <summary>
/// What the sender found running when it (re)gained the cluster state: the groups with a resource whose monitor says
/// running. Nothing is placed until every healthy member has reported, so nothing is started twice.
/// </summary>
/// <param name="Instance">Identifies the sender's palisaded process: a new value means palisaded (or the node) restarted.</param>
/// <param name="Intents">What operators wanted of each group, as the sender kept it on disk; the newest intent wins.</param>
/// <param name="Uncertain">Groups whose probe failed or timed out with no resource seen running: they may run here.</param>
/// <param name="Fresh">The sender's palisaded has never started a group, so no start of its own can be under way.</param>
/// <param name="Idle">Nor has it been asked to stop one: a stop the state shows under way there is not.</param>
public sealed record ProbeReport(
    ImmutableArray<string> Running,
    string Instance = "",
    ImmutableArray<GroupIntent>? Intents = null,
    ImmutableArray<string>? Uncertain = null,
    bool Fresh = false,
    bool Idle = false) : NodeMessage
{
    /// <summary>Which nodes operators put in standby or took out of it, as the sender kept it on disk; the newest wins.</summary>
    public ImmutableArray<NodeIntent>? NodeIntents { get; init; }

    /// <summary>Whether an operator last turned maintenance on or off, as the sender kept it on disk; the newest wins.</summary>
    public MaintenanceIntent? Maintenance { get; init; }
}

/// <summary>An operator's maintenance mode (on or off), when and by whom; kept on every node's disk.</summary>
public sealed record MaintenanceIntent(bool On, DateTimeOffset At, string By)
{
    public static MaintenanceIntent? Of(ClusterState state) =>
        state.MaintenanceSince is { } at ? new MaintenanceIntent(state.Maintenance, at, state.MaintenanceBy ?? "") : null;

    /// <summary>The newer of two (on a tie, <paramref name="kept"/>).</summary>
    public static MaintenanceIntent? Newer(MaintenanceIntent? kept, MaintenanceIntent? other) =>
        kept is null ? other : other is null || kept.At >= other.At ? kept : other;
}

/// <summary>An operator's wish for a node (standby or not), when and by whom; kept on every node's disk.</summary>
public sealed record NodeIntent(string Node, bool Standby, DateTimeOffset At, string By)
{
    /// <summary>The standby intents an operator set in <paramref name="state"/>, by node name.</summary>
    public static ImmutableArray<NodeIntent> Of(ClusterState state) =>
        [.. state.Nodes.Values.Where(n => n.StandbySince is not null).Select(n => new NodeIntent(n.Name, n.Standby, n.StandbySince!.Value, n.StandbyBy ?? ""))];

    /// <summary>The newest intent per node of both lists (on a tie, <paramref name="kept"/>'s), by node name.</summary>
    public static ImmutableArray<NodeIntent> Merge(ImmutableArray<NodeIntent> kept, ImmutableArray<NodeIntent> other) =>
    [
        .. kept.Concat(other)
            .GroupBy(i => i.Node, StringComparer.Ordinal)
            .Select(g => g.MaxBy(i => i.At)!)
            .OrderBy(i => i.Node, StringComparer.Ordinal),
    ];
}

/// <summary>An operator's wish for a group (started or stopped), when and by whom; kept on every node's disk.</summary>
public sealed record GroupIntent(string Group, GroupTarget Target, DateTimeOffset At, string By)
{
    /// <summary>The intents an operator set in <paramref name="state"/>, by group name.</summary>
    public static ImmutableArray<GroupIntent> Of(ClusterState state) =>
        [.. state.Groups.Values.Where(g => g.TargetSince is not null).Select(g => new GroupIntent(g.Name, g.Target, g.TargetSince!.Value, g.TargetBy ?? ""))];

    /// <summary>The newest intent per group of both lists (on a tie, <paramref name="kept"/>'s), by group name.</summary>
    public static ImmutableArray<GroupIntent> Merge(ImmutableArray<GroupIntent> kept, ImmutableArray<GroupIntent> other) =>
    [
        .. kept.Concat(other)
            .GroupBy(i => i.Group, StringComparer.Ordinal)
            .Select(g => g.MaxBy(i => i.At)!)
            .OrderBy(i => i.Group, StringComparer.Ordinal),
    ];
}
