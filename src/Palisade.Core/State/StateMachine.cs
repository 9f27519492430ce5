using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;

namespace Palisade.Core.State;

/// <summary>The result of applying one message: the new state and one line per change, for the log.</summary>
public sealed record Transition(ClusterState State, ImmutableArray<string> Notes);

/// <summary>
/// Applies ordered messages to the replicated state. Pure and deterministic: the same state and message give the
/// same result on every node, so nothing here may read a clock, a file or the local node's identity.
/// </summary>
public static partial class StateMachine
{
    public static Transition Apply(ClusterConfig config, ClusterState state, ClusterMessage message)
    {
        var notes = ImmutableArray.CreateBuilder<string>();
        var next = message switch
        {
            NodeMessage d when IsDecision(d) && state.Coordinator?.Name != d.From =>
                Note(notes, $"ignored {d.GetType().Name} from {d.From}: only the coordinator ({state.Coordinator?.Name ?? "none"}) decides", state),
            // A decision made before maintenance began, delivered after it: maintenance wins on every node alike.
            NodeMessage d when state.Maintenance && ManagesGroupsOrFences(state, d) =>
                Note(notes, $"ignored {d.GetType().Name} from {d.From}: maintenance is on ({state.MaintenanceBy})", state),
            MembershipChanged m => ApplyMembership(config, state, m, notes),
            StateSnapshot s => state with { Synced = state.Synced.Union(s.For.Where(state.Members.Contains)) },
            StateDigest or TotemChanged or AlertsDelivered => state,
            // A holder never says it has none: the sender is not in Synced, or it is because its snapshot came first.
            NoState => state,
            ClusterSettled s => ApplySettled(state, s, notes),
            FenceStarted f => ApplyFenceStarted(state, f, notes),
            FenceCompleted f => ApplyFenceCompleted(state, f, notes),
            AdminRequest a => ApplyAdmin(config, state, a, notes),
            NodeStandbyRequest s => ApplyStandby(state, s, notes),
            MaintenanceRequest m => ApplyMaintenance(state, m, notes),
            PathTestsReported r => ApplyPathTests(state, r, notes),
            NodeLeaving l => ApplyLeaving(state, l, notes),
            ProbeReport p => ApplyProbe(config, state, p, notes),
            FenceAttempted a => ApplyFenceAttempted(config, state, a, notes),
            FenceRequested r => ApplyFenceRequested(state, r, notes),
            NodeConfirmedDown c => ApplyConfirmedDown(config, state, c, notes),
            ShutdownDaemonChanged d => ApplyShutdownDaemonChanged(state, d, notes),
            HistoryImported h => ApplyHistoryImported(config, state, h, notes),
            NodeUnresponsive u => ApplyUnresponsive(state, u, notes),
            NodeCleared c => ApplyCleared(state, c, notes),
            RecoveryOrdered r => ApplyRecovery(config, state, r, notes),
            RecoveryReset r => ApplyRecoveryReset(state, r, notes),
            MonitorCommand c => ApplyMonitorCommand(config, state, c, notes),
            MonitorReported r => ApplyMonitorReported(config, state, r, notes),
            ExternalEvent e => ApplyExternalEvent(config, state, e, notes),
            NodeDownChecked d => ApplyDownChecked(config, state, d, notes),
            _ => ApplyGroupMessage(config, state, message, notes),
        };
        return new Transition(next with { Version = state.Version + 1 }, notes.ToImmutable());
    }

    /// <summary>Decisions maintenance holds back: placement, recovery, and fencing not asked for by an operator.</summary>
    private static bool ManagesGroupsOrFences(ClusterState state, NodeMessage message) => message switch
    {
        GroupStartOrdered or GroupStopOrdered or RecoveryOrdered or GroupGaveUp or NodeUnresponsive => true,
        FenceStarted f => state.Nodes.GetValueOrDefault(f.Target)?.KillRequestedBy is null,
        _ => false,
    };

    /// <summary>Messages only the coordinator sends; one from another node (a former coordinator) is stale.</summary>
    private static bool IsDecision(NodeMessage message) =>
        message is GroupStartOrdered or GroupStopOrdered or FenceStarted or ClusterSettled or GroupGaveUp or NodeUnresponsive or NodeCleared;

    private static ClusterState ApplyUnresponsive(ClusterState state, NodeUnresponsive u, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(u.Node, out var node) || node.State != NodeState.Online)
        {
            return state;
        }

        notes.Add($"node {u.Node} is Unclean: {u.Reason}");
        return state with { Nodes = state.Nodes.SetItem(u.Node, node with { State = NodeState.Unclean, Reason = u.Reason, Since = u.At }) };
    }

    private static ClusterState ApplyCleared(ClusterState state, NodeCleared c, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(c.Node, out var node) || !state.IsSoleSurvivor(c.Node))
        {
            return Note(notes, $"ignored {c.Node} clearing itself: it is not an Unclean member with every other node known down", state);
        }

        notes.Add($"node {c.Node} is Online again: {c.Reason}; it probes what runs there before anything is placed");
        return state with
        {
            Nodes = state.Nodes.SetItem(c.Node, node with
            {
                State = NodeState.Online,
                Reason = c.Reason,
                Since = c.At,
                Probed = false,
                FencingBy = null,
                KillRequestedBy = null,
                PowerAction = Configuration.NodePowerAction.None,
                FenceFailures = 0,
            }),
        };
    }

    private static ClusterState Note(ImmutableArray<string>.Builder notes, string note, ClusterState state)
    {
        notes.Add(note);
        return state;
    }

    /// <summary>
    /// Nodes never seen since the cluster formed may still run resources from an earlier life: once the join window
    /// is over they are treated like lost nodes and fenced (startup fencing).
    /// </summary>
    private static ClusterState ApplySettled(ClusterState state, ClusterSettled s, ImmutableArray<string>.Builder notes)
    {
        notes.Add($"cluster settled: {s.Reason}");
        var nodes = state.Nodes;
        foreach (var node in state.Nodes.Values.Where(n => n is { State: NodeState.Offline, Seen: false } && !state.Members.Contains(n.Id)))
        {
            var reason = "not seen since the cluster formed: it may still run resources";
            nodes = nodes.SetItem(node.Name, node with { State = NodeState.Unclean, Reason = reason, Since = s.At });
            notes.Add($"node {node.Name} is Unclean: {reason}");
        }

        return state with { Settled = true, Nodes = nodes };
    }

    private static ClusterState ApplyMembership(
        ClusterConfig config, ClusterState state, MembershipChanged m, ImmutableArray<string>.Builder notes)
    {
        var nodes = state.Nodes;
        foreach (var left in m.Left)
        {
            if (config.FindNode(left.NodeId) is not { } cfg || !nodes.TryGetValue(cfg.Name, out var node))
            {
                continue;
            }

            var updated = NodeAfterLeaving(state, node, left.Reason);
            if (updated != node)
            {
                notes.Add($"node {node.Name} left ({left.Reason}): {updated.State}, {updated.Reason}");
            }

            nodes = nodes.SetItem(node.Name, updated);
        }

        foreach (var id in m.Joined)
        {
            if (config.FindNode(id) is not { } cfg || !nodes.TryGetValue(cfg.Name, out var node))
            {
                notes.Add($"node id {id} joined but is not in the configuration");
                continue;
            }

            // A node still waiting to be fenced stays so even if it comes back: it may still run resources.
            if (node.State is NodeState.Offline or NodeState.Fenced or NodeState.Online)
            {
                nodes = nodes.SetItem(node.Name, node with
                {
                    State = NodeState.Online,
                    Reason = "joined the cluster",
                    Since = null,
                    FenceFailures = 0,
                    Leaving = false,
                    Seen = true,
                    Probed = false,
                    MustStop = [],
                    PowerAction = Configuration.NodePowerAction.None,
                });
                notes.Add($"node {node.Name} joined: Online");
            }
            else
            {
                // A node back in the ring is not leaving any more, whatever its last palisaded said before it went.
                nodes = nodes.SetItem(node.Name, node with { Probed = false, Leaving = false, RejoinedWhileFencing = node.State == NodeState.Fencing });
                notes.Add($"node {node.Name} joined while {node.State}: fenced unless its probe shows a clean restart");
            }
        }

        var members = m.Members.ToImmutableSortedSet();
        var old = members.Except(m.Joined);
        // When nobody that stayed holds state, every member starts from the configuration (a new cluster).
        var synced = old.IsEmpty ? members : state.Synced.Intersect(members);
        return state with { Nodes = nodes, Members = members, Synced = synced };
    }

    private static NodeStatus NodeAfterLeaving(ClusterState state, NodeStatus node, LeaveReason reason)
    {
        if (node.State is NodeState.Fencing or NodeState.Fenced or NodeState.Unclean)
        {
            return node; // already known bad or already dealt with
        }

        var left = NodeLeft(state, node, reason);
        return state.Maintenance && left.State == NodeState.Unclean && left.PowerAction == Configuration.NodePowerAction.None
            ? left with { LeftInMaintenance = true, Reason = $"{left.Reason}, during maintenance: not fenced unless maintenance ends before it is back" }
            : left with { LeftInMaintenance = false };
    }

    private static NodeStatus NodeLeft(ClusterState state, NodeStatus node, LeaveReason reason)
    {
        var active = state.GroupsOn(node.Name).Select(g => g.Name).Concat(node.MustStop).Distinct().ToList();
        if (reason == LeaveReason.Leave && active.Count == 0 && node.Probed && node.PowerAction != Configuration.NodePowerAction.None)
        {
            // It stopped its groups and left for a final action that powers it off (and on): the cluster does that.
            return node with { State = NodeState.Unclean, Reason = $"left the cluster cleanly; the {node.KillRequestedBy} powers it off", Since = null };
        }

        if (reason == LeaveReason.Leave && active.Count == 0)
        {
            // One that left before saying what it runs may still run it: a clean leave stops only what its palisaded knew of.
            return node.Probed
                ? node with { State = NodeState.Offline, Reason = "left the cluster cleanly", Since = null }
                : node with { State = NodeState.Unclean, Reason = "left the cluster before reporting what it runs", Since = null };
        }

        var why = reason switch
        {
            LeaveReason.NodeDown => "lost: corosync reported the node down",
            LeaveReason.ProcDown => "lost: palisaded died while corosync runs",
            LeaveReason.Leave => $"left while still running {string.Join(", ", active)}",
            _ => "lost: left the cluster for an unknown reason",
        };
        return node with { State = NodeState.Unclean, Reason = why, Since = null };
    }

    private static ClusterState ApplyFenceStarted(ClusterState state, FenceStarted f, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(f.Target, out var node) || node.State is not (NodeState.Unclean or NodeState.Fencing))
        {
            return state;
        }

        notes.Add($"fencing {f.Target} by {f.From}: {f.Reason}");
        return state with
        {
            Nodes = state.Nodes.SetItem(f.Target, node with
            {
                State = NodeState.Fencing,
                Reason = f.Reason,
                Since = f.At,
                FencingBy = f.Executor ?? f.From,
                LastFenceAttempt = f.At,
            }),
        };
    }

    private static ClusterState ApplyFenceCompleted(ClusterState state, FenceCompleted f, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(f.Target, out var node) || node.State != NodeState.Fencing)
        {
            return state;
        }

        if (node.FencingBy != f.From)
        {
            return Note(notes, $"ignored the fence result for {f.Target} from {f.From}: {node.FencingBy} is fencing it", state);
        }

        if (!f.Success)
        {
            notes.Add($"fencing {f.Target} failed ({f.Agent}): {f.Reason}; node stays Unclean");
            return state with
            {
                Nodes = state.Nodes.SetItem(f.Target, node with
                {
                    State = NodeState.Unclean,
                    Reason = $"fencing failed: {f.Reason}",
                    Since = f.At,
                    FencingBy = null,
                    FenceFailures = node.FenceFailures + 1,
                    RejoinedWhileFencing = false,
                    LastFenceAttempt = f.At, // the backoff counts from the failure, not from the start of the attempt
                    // Back in the membership: a probe it sent while being fenced may show a clean restart; ask again.
                    Probed = node.Probed && !state.Members.Contains(node.Id),
                }),
            };
        }

        notes.Add($"{f.Target} fenced by {f.From} ({f.Agent}): {f.Reason}");
        var groups = OfflineOn(state, f.Target, "was fenced", f.At, notes);
        // A node that came back while the fence ran: the power-off is confirmed, so what is in the membership now is
        // a new boot (or a dying one, which corosync will report gone and which is then fenced again). Nothing is
        // placed on it, and no group placed anywhere, until it reports what runs there.
        var rejoined = node.RejoinedWhileFencing && state.Members.Contains(node.Id);
        if (rejoined)
        {
            notes.Add($"node {f.Target} rejoined while being fenced: Online, waiting for its probe");
        }

        return state with
        {
            Groups = groups,
            Nodes = state.Nodes.SetItem(f.Target, node with
            {
                State = rejoined ? NodeState.Online : NodeState.Fenced,
                Reason = rejoined ? $"rejoined after being fenced by {f.From} with {f.Agent}" : $"fenced by {f.From} with {f.Agent}",
                Since = f.At,
                FencingBy = null,
                KillRequestedBy = null,
                PowerAction = Configuration.NodePowerAction.None,
                FenceFailures = rejoined ? 0 : node.FenceFailures,
                Probed = !rejoined && node.Probed,
                RejoinedWhileFencing = false,
                MustStop = [],
            }),
        };
    }

    private static ClusterState ApplyLeaving(ClusterState state, NodeLeaving l, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(l.From, out var node) || node.State != NodeState.Online)
        {
            return state;
        }

        notes.Add($"node {l.From} is leaving: {l.Reason}");
        return state with { Nodes = state.Nodes.SetItem(l.From, node with { Leaving = true, Reason = $"leaving: {l.Reason}", Since = l.At }) };
    }

    /// <summary>Every group on <paramref name="node"/> goes Offline: the node is known to run nothing any more.</summary>
    private static ImmutableSortedDictionary<string, GroupStatus> OfflineOn(ClusterState state, string node, string why, DateTimeOffset at, ImmutableArray<string>.Builder notes)
    {
        var groups = state.Groups;
        foreach (var g in state.GroupsOn(node).ToList())
        {
            groups = groups.SetItem(g.Name, Offline(g, $"{node} {why}", at));
            notes.Add($"group {g.Name} is Offline: its node {node} {why}");
        }

        return groups;
    }

    internal static GroupStatus Offline(GroupStatus g, string reason, DateTimeOffset at) => g with
    {
        State = GroupState.Offline,
        Node = null,
        Resources = g.Resources.ToImmutableSortedDictionary(r => r.Key, _ => ResourceState.Stopped),
        Reason = reason,
        Since = at,
    };
}
