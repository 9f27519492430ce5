using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;

namespace Palisade.Core.State;

public static partial class StateMachine
{
    private static ClusterState ApplyGroupMessage(ClusterConfig config, ClusterState state, ClusterMessage message, ImmutableArray<string>.Builder notes)
    {
        var (groupName, node) = message switch
        {
            GroupStartOrdered m => (m.Group, m.Node),
            GroupStopOrdered m => (m.Group, m.Node),
            ResourceReport m => (m.Group, m.Node),
            GroupStarted m => (m.Group, m.Node),
            GroupStartFailed m => (m.Group, m.Node),
            GroupStopped m => (m.Group, m.Node),
            GroupStopFailed m => (m.Group, m.Node),
            ResourceFailed m => (m.Group, m.Node),
            GroupGaveUp m => (m.Group, (string?)null),
            _ => throw new ArgumentException($"unknown message {message.GetType().Name}", nameof(message)),
        };
        if (!state.Groups.TryGetValue(groupName, out var group))
        {
            notes.Add($"ignored {message.GetType().Name} for unknown group {groupName}");
            return state;
        }

        if (message is GroupStopped or GroupStopFailed && node is not null && group.Node != node
            && state.Nodes.TryGetValue(node, out var stopper) && stopper.MustStop.Contains(groupName))
        {
            return ApplyMustStopReport(state, stopper, groupName, (NodeMessage)message, notes);
        }

        if (message is GroupStartOrdered start && !state.IsHealthy(start.Node))
        {
            // Decided just before the node left or stopped being healthy, delivered after: nobody would run it.
            var why = state.Nodes.TryGetValue(start.Node, out var target) ? $"{target.State}{(target.Leaving ? ", leaving" : "")}" : "unknown";
            notes.Add($"ignored the start of {start.Group} on {start.Node}: {start.Node} is no longer healthy ({why})");
            return state;
        }

        if (message is GroupStartOrdered ordered
            && state.Nodes.Values.Where(n => n.State == NodeState.Online && state.Members.Contains(n.Id) && !n.Probed).Select(n => n.Name).ToList() is { Count: > 0 } unprobed)
        {
            // The coordinator places nothing while a member has not said what it runs (it may run the group, or carry
            // an operator's stop on its disk): a start delivered now was decided before that member joined.
            notes.Add($"ignored the start of {ordered.Group} on {ordered.Node}: decided before {string.Join(", ", unprobed)} joined, which has not reported what it runs");
            return state;
        }

        var updated = ApplyToGroup(group, node, (NodeMessage)message);
        if (updated == group)
        {
            return state;
        }

        notes.Add(message is ResourceReport report
            ? $"group {group.Name}: resource {report.Resource} {report.State} on {report.Node}"
            : $"group {group.Name}: {updated.State}{(updated.Node is null ? "" : " on " + updated.Node)}: {updated.Reason}");
        var next = state with { Groups = state.Groups.SetItem(groupName, updated) };
        next = message switch
        {
            ResourceFailed f when group.Resources.GetValueOrDefault(f.Resource) != ResourceState.Failed => MonitorDetected(next, f, notes),
            GroupStarted s when group.State == GroupState.Starting => MonitorsClean(config, next, group.Name, s.Node, s.At),
            _ => next,
        };
        if (message is GroupStopFailed failed && next.Nodes.TryGetValue(failed.Node, out var n) && n.State == NodeState.Online)
        {
            // A node that could not stop a group may still run it: only fencing makes it safe to start elsewhere.
            var reason = $"stop of group {failed.Group} failed: {failed.Reason}";
            next = next with { Nodes = next.Nodes.SetItem(n.Name, n with { State = NodeState.Unclean, Reason = reason, Since = failed.At }) };
            notes.Add($"node {n.Name} is Unclean: {reason}");
        }

        return next;
    }

    /// <summary>A node stopped (or failed to stop) a group placed elsewhere that its probe could not tell about.</summary>
    private static ClusterState ApplyMustStopReport(ClusterState state, NodeStatus stopper, string group, NodeMessage report, ImmutableArray<string>.Builder notes)
    {
        if (report is GroupStopFailed failed)
        {
            if (stopper.State != NodeState.Online)
            {
                return state;
            }

            var reason = $"stop of group {group} failed: {failed.Reason}";
            notes.Add($"node {stopper.Name} is Unclean: {reason}");
            return state with { Nodes = state.Nodes.SetItem(stopper.Name, stopper with { State = NodeState.Unclean, Reason = reason, Since = failed.At }) };
        }

        notes.Add($"group {group}: stopped on {stopper.Name}, where its probe could not tell; it stays {state.Groups[group].State} on {state.Groups[group].Node ?? "no node"}");
        return state with { Nodes = state.Nodes.SetItem(stopper.Name, stopper with { MustStop = stopper.MustStop.Remove(group) }) };
    }

    private static GroupStatus ApplyToGroup(GroupStatus g, string? node, NodeMessage message)
    {
        // Reports from a node the group is not on are stale (e.g. a fenced node's last words).
        var fromOwner = node is not null && g.Node == node;
        return message switch
        {
            // A start decided before an operator's stop but delivered after it must not undo the stop.
            GroupStartOrdered m when g.State == GroupState.Offline && g.Target == GroupTarget.Started => g with
            {
                State = GroupState.Starting,
                Node = m.Node,
                Reason = m.Reason,
                Since = m.At,
            },
            GroupStopOrdered m when fromOwner && g.State is GroupState.Online or GroupState.Starting => g with
            {
                State = GroupState.Stopping,
                Reason = m.Reason,
                Since = m.At,
            },
            ResourceReport m when fromOwner && g.Resources.ContainsKey(m.Resource) => g with
            {
                Resources = g.Resources.SetItem(m.Resource, m.State),
            },
            GroupStarted m when fromOwner && g.State == GroupState.Starting => g with
            {
                State = GroupState.Online,
                MoveTo = g.MoveTo == m.Node ? null : g.MoveTo,
                RestartOn = null,
                Reason = $"started on {m.Node}",
                Since = m.At,
                Resources = g.Resources.ToImmutableSortedDictionary(r => r.Key, _ => ResourceState.Started),
            },
            GroupStartFailed m when fromOwner && g.State is GroupState.Starting or GroupState.Stopping =>
                Offline(g, $"start on {m.Node} failed: {m.Reason}", m.At) with { FailedOn = g.FailedOn.Add(m.Node), RestartOn = null },
            // A stop reported while a start is ordered there is an older stop's (the runner does one job at a time
            // per group, and a stop asked for during a start makes it Stopping first): the start still comes.
            GroupStopped m when fromOwner && g.State is not (GroupState.Offline or GroupState.Starting) => Offline(g, m.Reason, m.At),
            GroupStopFailed m when fromOwner => g with
            {
                State = GroupState.Failed,
                Reason = $"stop on {m.Node} failed: {m.Reason}; waiting for {m.Node} to be fenced",
                Since = m.At,
            },
            // The resource's monitor detected an error: the coordinator answers it with the next rung of its ladder.
            ResourceFailed m when fromOwner && g.State == GroupState.Online => g with
            {
                Resources = g.Resources.SetItem(m.Resource, ResourceState.Failed),
                Reason = $"resource {m.Resource} failed on {m.Node}: {m.Reason}",
                Since = m.At,
            },
            GroupGaveUp m when g.State == GroupState.Offline => g with { State = GroupState.Failed, Reason = m.Reason, Since = m.At },
            _ => g,
        };
    }

    private static ClusterState ApplyAdmin(ClusterConfig config, ClusterState state, AdminRequest a, ImmutableArray<string>.Builder notes)
    {
        if (!state.Groups.TryGetValue(a.Group, out var g))
        {
            return state;
        }

        if (a.Action == AdminAction.Cleanup)
        {
            return ApplyCleanup(config, state, g, a, notes);
        }

        var updated = a.Action switch
        {
            AdminAction.Start => g with
            {
                Target = GroupTarget.Started,
                FailedOn = StillFailing(g),
                State = g.State == GroupState.Failed && g.Node is null ? GroupState.Offline : g.State,
                Reason = $"start requested by {a.By}",
                Since = a.At,
            },
            AdminAction.Stop => g with { Target = GroupTarget.Stopped, MoveTo = null, Reason = $"stop requested by {a.By}", Since = a.At },
            AdminAction.Move => g with
            {
                Target = GroupTarget.Started,
                MoveTo = a.To,
                FailedOn = StillFailing(g),
                State = g.State == GroupState.Failed && g.Node is null ? GroupState.Offline : g.State,
                Reason = $"move to {a.To} requested by {a.By}",
                Since = a.At,
            },
            _ => g,
        };
        notes.Add($"group {a.Group}: {a.Action} requested by {a.By}{(a.To is null ? "" : " to " + a.To)}");
        return state with { Groups = state.Groups.SetItem(a.Group, updated with { TargetSince = IntentStamp(g.TargetSince, a.At), TargetBy = a.By }) };
    }

    /// <summary>
    /// What a start or move request keeps of the nodes a group failed on: the node where it is placed while one of its
    /// resources there is Failed, whose recovery is still due (forgetting it would leave the failed group Online for
    /// good, since its monitor reported once).
    /// </summary>
    private static ImmutableSortedSet<string> StillFailing(GroupStatus g) =>
        g.Node is { } owner && g.FailedOn.Contains(owner) && g.Resources.Values.Contains(ResourceState.Failed) ? [owner] : [];

    /// <summary>
    /// When an intent was set: the sender's clock, but always later than the intent it replaces, even when the clocks
    /// of the nodes disagree. Intents kept on disk are compared by this stamp after a restart or a heal, so a later
    /// command must never look older than the one it overrode.
    /// </summary>
    private static DateTimeOffset IntentStamp(DateTimeOffset? previous, DateTimeOffset sent) =>
        previous is { } p && p >= sent ? p.AddTicks(1) : sent;
}
