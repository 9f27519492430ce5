using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;

namespace Palisade.Core.State;

/// <summary>Monitors' errors and the recovery ladder that answers each one.</summary>
public static partial class StateMachine
{
    /// <summary>A resource's monitor reported a failure: one more error detected by that monitor on that node.</summary>
    private static ClusterState MonitorDetected(ClusterState state, ResourceFailed f, ImmutableArray<string>.Builder notes)
    {
        var name = ResourceConfig.MonitorName(f.Group, f.Resource);
        var monitor = state.Monitors.GetValueOrDefault(name) ?? new MonitorStatus { Name = name };
        var on = monitor.On(f.Node);
        var detected = on with { Health = MonitorHealth.Error, Reason = f.Reason, Since = f.At, Detections = on.Detections + 1 };
        notes.Add($"monitor {name}: Error on {f.Node} (error {detected.Detections} there): {f.Reason}");
        return state with { Monitors = state.Monitors.SetItem(name, monitor with { Nodes = monitor.Nodes.SetItem(f.Node, detected), CleanSince = null }) };
    }

    /// <summary>
    /// The group started on a node: its resources' monitors there start again, Normal, and so do the monitors of the
    /// <c>monitors:</c> list that act on it (one still failing reports its error again, the next rung answers it).
    /// </summary>
    private static ClusterState MonitorsClean(ClusterConfig config, ClusterState state, string group, string node, DateTimeOffset at)
    {
        var monitors = state.Monitors;
        var listed = config.Monitors.Where(m => m.Target == group).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, monitor) in state.Monitors.Where(m => m.Key.StartsWith(group + "/", StringComparison.Ordinal) || listed.Contains(m.Key)))
        {
            var on = monitor.On(node);
            var health = on.Health == MonitorHealth.Suspended ? MonitorHealth.Suspended : MonitorHealth.Normal;
            var clean = monitor with
            {
                Nodes = monitor.Nodes.SetItem(node, on with { Health = health, Reason = health == MonitorHealth.Suspended ? on.Reason : $"{group} started on {node}", Since = at }),
                CleanSince = monitor.CleanSince ?? at,
            };
            monitors = monitors.SetItem(name, clean);
        }

        return state with { Monitors = monitors };
    }

    /// <summary>
    /// A node's run of a monitor of the <c>monitors:</c> list found something new. Error where its target group runs
    /// is one more error for the ladder; where the group is not active there is nothing to recover, and that is said.
    /// </summary>
    private static ClusterState ApplyMonitorReported(ClusterConfig config, ClusterState state, MonitorReported r, ImmutableArray<string>.Builder notes)
    {
        if (config.FindMonitor(r.Monitor) is not { } listed || config.FindGroup(listed.Target) is not { } target || !listed.NodesFor(target).Contains(r.Node)
            || r.Health is not (MonitorHealth.Normal or MonitorHealth.Warning or MonitorHealth.Error))
        {
            return Note(notes, $"ignored report of {r.Health} for unknown monitor {r.Monitor} on {r.Node}", state);
        }

        var monitor = state.Monitors.GetValueOrDefault(r.Monitor) ?? new MonitorStatus { Name = r.Monitor };
        var on = monitor.On(r.Node);
        if (on.Health == MonitorHealth.Suspended || on.Health == r.Health)
        {
            return state;
        }

        var next = on with { Health = r.Health, Reason = r.Reason, Since = r.At };
        var cleanSince = monitor.CleanSince;
        if (r.Health == MonitorHealth.Error)
        {
            var group = state.Groups.GetValueOrDefault(target.Name);
            var active = listed.Recovery.Scope == RecoveryScope.AllGroups
                ? state.GroupsOn(r.Node).Any(g => g.State == GroupState.Online)
                : group is { State: GroupState.Online } && group.Node == r.Node;
            next = next with { Detections = on.Detections + 1, Handled = active ? on.Handled : on.Detections + 1 };
            cleanSince = active ? null : cleanSince;
            notes.Add(active
                ? $"monitor {r.Monitor}: Error on {r.Node} (error {next.Detections} there): {r.Reason}"
                : listed.Recovery.Scope == RecoveryScope.AllGroups
                ? $"monitor {r.Monitor}: Error on {r.Node}: {r.Reason}; no recovery: no group is active on {r.Node}"
                : $"monitor {r.Monitor}: Error on {r.Node}: {r.Reason}; no recovery: its target {target.Name} is not active on {r.Node}");
        }
        else
        {
            notes.Add($"monitor {r.Monitor}: {r.Health} on {r.Node}: {r.Reason}");
        }

        return state with { Monitors = state.Monitors.SetItem(r.Monitor, monitor with { Nodes = monitor.Nodes.SetItem(r.Node, next), CleanSince = cleanSince }) };
    }

    /// <summary>
    /// A message from a node's hardware or management layer: every external monitor of its category (and device, when
    /// the monitor names one) placed on the node it concerns goes Error, Warning, or Normal again on a clear, as if it
    /// had reported so itself; an Error moves its recovery ladder.
    /// </summary>
    private static ClusterState ApplyExternalEvent(ClusterConfig config, ClusterState state, ExternalEvent e, ImmutableArray<string>.Builder notes)
    {
        if (state.RecentEvents.Contains(e.Id))
        {
            return Note(notes, $"message {e.Id} from {e.From} was applied before: ignored", state);
        }

        var recent = state.RecentEvents.Add(e.Id);
        state = state with { RecentEvents = recent.Count > ClusterState.RecentEventLimit ? recent.RemoveAt(0) : recent };
        var health = e.Severity switch
        {
            NoticeSeverity.Error => MonitorHealth.Error,
            NoticeSeverity.Warning => MonitorHealth.Warning,
            _ => MonitorHealth.Normal,
        };
        var device = e.Keyword is null ? e.Category : $"{e.Category}.{e.Keyword}";
        var matched = config.Monitors.Where(m => m.Kind == MonitorKind.External && m.Category == e.Category
            && (m.Keyword is null || m.Keyword == e.Keyword)
            && config.FindGroup(m.Target) is { } target && m.NodesFor(target).Contains(e.Node)).ToList();
        if (matched.Count == 0)
        {
            return Note(notes, $"message {e.Id} ({e.Severity.ToString().ToLowerInvariant()} {device} on {e.Node} from {e.Source}): no external monitor matches", state);
        }

        var repeats = e.Repeats > 0 ? $", after {e.Repeats} repeat(s) coalesced" : "";
        notes.Add($"message {e.Id} ({e.Severity.ToString().ToLowerInvariant()} {device} on {e.Node} from {e.Source}, received by {e.From}{repeats}): {string.Join(", ", matched.Select(m => m.Name))}");
        foreach (var monitor in matched)
        {
            var reason = $"{e.Severity.ToString().ToLowerInvariant()} message {device} from {e.Source}{(e.Text.Length == 0 ? "" : ": " + e.Text)}";
            state = ApplyMonitorReported(config, state, new MonitorReported(monitor.Name, e.Node, health, reason) { From = e.From, At = e.At }, notes);
        }

        return state;
    }

    /// <summary>
    /// The coordinator's answer to one detected error. Stale orders (an older detection, or one already answered) are
    /// dropped, so each error moves the ladder one rung at most. The rung acts on the monitor's group, or on every group
    /// active on the node (<see cref="RecoveryOrdered.AllGroups"/>); a restart of a resource target restarts only it.
    /// </summary>
    private static ClusterState ApplyRecovery(ClusterConfig config, ClusterState state, RecoveryOrdered r, ImmutableArray<string>.Builder notes)
    {
        List<GroupStatus> targets = r.Group == RecoveryOrdered.AllGroups
            ? [.. state.GroupsOn(r.Node).Where(x => x.State == GroupState.Online)]
            : state.Groups.TryGetValue(r.Group, out var one) ? [one] : [];
        if (!state.Monitors.TryGetValue(r.Monitor, out var monitor) || targets.Count == 0
            || monitor.On(r.Node) is not { } on || r.Detection != on.Detections || on.Handled >= r.Detection)
        {
            return state;
        }

        var recovery = Planning.Recovery.ConfigOf(config, r.Monitor) ?? RecoveryConfig.ResourceDefault;
        var counters = monitor.Counters;
        var nodes = state.Nodes;
        var answeredOn = on with { Handled = r.Detection };
        Func<GroupStatus, GroupStatus> act = g => g;
        switch (r.Rung)
        {
            case RecoveryRung.Script:
                // The script may have fixed it: the monitor starts over there, and reports again if it still fails.
                counters = counters with { Scripts = counters.Scripts + 1 };
                answeredOn = answeredOn with { Health = MonitorHealth.Normal, Reason = $"recovery script run on {r.Node}", Since = r.At };
                var resource = config.FindMonitor(r.Monitor) is null ? r.Monitor[(r.Monitor.IndexOf('/', StringComparison.Ordinal) + 1)..] : null;
                act = g => resource is not null && g.Node == r.Node && g.Resources.GetValueOrDefault(resource) == ResourceState.Failed
                    ? g with { Resources = g.Resources.SetItem(resource, ResourceState.Started) }
                    : g;
                break;
            case RecoveryRung.Restart when recovery.Scope == RecoveryScope.Resource && recovery.Resource is { } restarted:
                // Only that resource (and those after it) is stopped and started again there; the group stays Online.
                counters = counters with { Restarts = counters.Restarts + 1 };
                answeredOn = answeredOn with { Health = MonitorHealth.Normal, Reason = $"resource {restarted} restarted on {r.Node}", Since = r.At };
                act = g => g with { Resources = RestartingFrom(config, g, restarted), Reason = $"restarting {restarted} on {r.Node}: {r.Reason}", Since = r.At };
                break;
            case RecoveryRung.Restart:
                counters = counters with { Restarts = counters.Restarts + 1 };
                act = g => g with { RestartOn = r.Node, Reason = $"restarting on {r.Node}: {r.Reason}", Since = r.At };
                break;
            case RecoveryRung.Failover:
                counters = counters with { Failovers = counters.Failovers + 1 };
                act = g =>
                {
                    var to = r.Group == RecoveryOrdered.AllGroups && config.FindGroup(g.Name) is { } c
                        ? Planning.Recovery.FailoverTarget(config, c, g, r.Node, state, recovery) is var (inside, away) ? inside ?? away : null
                        : r.To;
                    return g with { FailedOn = g.FailedOn.Add(r.Node), RestartOn = null, MoveTo = to ?? g.MoveTo, Reason = $"failing over from {r.Node}{(to is null ? "" : " to " + to)}: {r.Reason}", Since = r.At };
                };
                break;
            case RecoveryRung.Final when recovery.FinalAction == FinalAction.StopResource && Planning.Recovery.ActedOnResource(config, r.Monitor, recovery) is { } stopped:
                // That resource and those after it stop there; the group stays Online without them.
                counters = counters with { FinalActions = counters.FinalActions + 1 };
                act = g => g with { Resources = StoppingFrom(config, g, stopped), Reason = $"{stopped} stopped on {r.Node} by the final action stop_resource of monitor {r.Monitor}", Since = r.At };
                break;
            case RecoveryRung.Final when NodeLevel(config, r.Monitor) is var (final, power) && final == FinalAction.Panic && config.NodeActions.System:
                // The node panics by itself (node_actions: system): the others see it lost and fence it as any other.
                counters = counters with { FinalActions = counters.FinalActions + 1 };
                act = g => g with { FailedOn = g.FailedOn.Add(r.Node), RestartOn = null, Reason = $"{r.Node} panics by the final action panic of monitor {r.Monitor}", Since = r.At };
                break;
            case RecoveryRung.Final when NodeLevel(config, r.Monitor) is var (final, power) && final != FinalAction.None:
                if (!nodes.TryGetValue(r.Node, out var owner) || owner.State != NodeState.Online)
                {
                    return Note(notes, $"monitor {r.Monitor}: final action on {r.Node} dropped: {r.Node} is no longer Online", state);
                }

                counters = counters with { FinalActions = counters.FinalActions + 1 };
                var action = $"final action {Planning.Recovery.FinalActionName(final)} of monitor {r.Monitor}";
                if (final is FinalAction.BmcPowerOff or FinalAction.BmcReset or FinalAction.BmcPowerCycle or FinalAction.BmcNmi or FinalAction.Panic)
                {
                    // The node goes down through its own shutdown agents, as a fence; the group then starts elsewhere.
                    nodes = nodes.SetItem(r.Node, owner with { State = NodeState.Unclean, Reason = $"{action}: {r.Reason}", Since = r.At, FenceFailures = 0, KillRequestedBy = action, PowerAction = power });
                    act = g => g with { FailedOn = g.FailedOn.Add(r.Node), RestartOn = null, Reason = $"{r.Node} is {(power == NodePowerAction.Dump ? "sent a diagnostic interrupt and fenced" : power == NodePowerAction.Cycle ? "powered off and on again" : "powered off")} by the {action}", Since = r.At };
                    notes.Add($"node {r.Node} is Unclean: {action}");
                    break;
                }

                // palisaded there stops its groups and leaves (a local effect); the group then starts elsewhere, and
                // once it has left the node is powered off (and on) as the action says.
                nodes = nodes.SetItem(r.Node, owner with { PowerAction = power, KillRequestedBy = power == NodePowerAction.None ? owner.KillRequestedBy : action });
                act = g => g with { FailedOn = g.FailedOn.Add(r.Node), RestartOn = null, Reason = $"palisaded on {r.Node} stops its groups and leaves: {action}", Since = r.At };
                break;
            case RecoveryRung.Exhausted:
                // Nothing is done, and status says why (a final action suppressed, or none): the monitor stays in Error.
                answeredOn = answeredOn with { Reason = r.Reason, Since = r.At };
                act = g => g with { Reason = $"left as it is on {r.Node}: {r.Reason}", Since = g.State == GroupState.Online ? g.Since : r.At };
                break;
            case RecoveryRung.Final:
                counters = counters with { FinalActions = counters.FinalActions + 1 };
                var by = $"final action of monitor {r.Monitor}";
                act = g => g with
                {
                    Target = GroupTarget.Stopped,
                    MoveTo = null,
                    RestartOn = null,
                    TargetSince = IntentStamp(g.TargetSince, r.At),
                    TargetBy = by,
                    Reason = $"stopped by the {by}: {r.Reason}",
                    Since = r.At,
                };
                break;
        }

        notes.Add($"monitor {r.Monitor}: recovery of error {r.Detection} on {r.Node}: {r.Rung.ToString().ToLowerInvariant()}"
            + (r.Group == RecoveryOrdered.AllGroups ? $" of {string.Join(", ", targets.Select(t => t.Name))}" : "")
            + $": {r.Reason} (scripts {counters.Scripts}, restarts {counters.Restarts}, failovers {counters.Failovers}, final actions {counters.FinalActions})");
        var answered = monitor with { Nodes = monitor.Nodes.SetItem(r.Node, answeredOn), Counters = counters };
        var groups = state.Groups;
        foreach (var g in targets)
        {
            var next = act(g);
            if (StopsAtOnce(state, r, recovery, g, next) is { } stopWhy)
            {
                next = next with { State = GroupState.Stopping, Reason = stopWhy, Since = r.At };
                notes.Add($"group {g.Name}: Stopping on {r.Node}: {stopWhy}");
            }

            groups = groups.SetItem(g.Name, next);
        }

        return state with
        {
            Monitors = state.Monitors.SetItem(r.Monitor, answered),
            Groups = groups,
            Nodes = nodes,
        };
    }

    /// <summary>
    /// A restart or failover of a group Online on the healthy node it failed on stops it there in the same step: the stop
    /// the coordinator would order next (the same reason), one round on the ordered stream sooner. Anything else (a
    /// standby owner, a group an operator stopped, a stale order) is left to the coordinator as before.
    /// </summary>
    private static string? StopsAtOnce(ClusterState state, RecoveryOrdered r, RecoveryConfig recovery, GroupStatus before, GroupStatus after)
    {
        if (before.State != GroupState.Online || before.Node != r.Node || after.Target != GroupTarget.Started
            || !state.IsHealthy(r.Node) || state.Nodes[r.Node].Standby)
        {
            return null;
        }

        return r.Rung switch
        {
            RecoveryRung.Failover when after.FailedOn.Contains(r.Node) => $"recovering: a resource failed on {r.Node}",
            RecoveryRung.Restart when recovery.Scope != RecoveryScope.Resource && after.RestartOn == r.Node => $"restarting in place on {r.Node}: a resource failed",
            _ => null,
        };
    }

    /// <summary>The group's resources with <paramref name="resource"/> and every one after it Stopping (stop_resource).</summary>
    private static ImmutableSortedDictionary<string, ResourceState> StoppingFrom(ClusterConfig config, GroupStatus g, string resource) =>
        From(config, g, resource, ResourceState.Stopping);

    /// <summary>The group's resources with <paramref name="resource"/> and every one after it Starting again (a resource restart).</summary>
    private static ImmutableSortedDictionary<string, ResourceState> RestartingFrom(ClusterConfig config, GroupStatus g, string resource) =>
        From(config, g, resource, ResourceState.Starting);

    private static ImmutableSortedDictionary<string, ResourceState> From(ClusterConfig config, GroupStatus g, string resource, ResourceState state)
    {
        var order = config.FindGroup(g.Name)?.Resources.Select(x => x.Name).ToList() ?? [];
        var from = order.IndexOf(resource);
        var resources = g.Resources;
        foreach (var name in from < 0 ? [] : order.Skip(from))
        {
            resources = resources.SetItem(name, state);
        }

        return resources;
    }

    /// <summary>A final action that acts on the node rather than the group, and what it does to the node's power.</summary>
    private static (FinalAction Final, NodePowerAction Power) NodeLevel(ClusterConfig config, string monitor) =>
        Planning.Recovery.ConfigOf(config, monitor)?.FinalAction switch
        {
            FinalAction.BmcPowerOff => (FinalAction.BmcPowerOff, NodePowerAction.Off),
            FinalAction.BmcReset => (FinalAction.BmcReset, NodePowerAction.Cycle),
            FinalAction.BmcPowerCycle => (FinalAction.BmcPowerCycle, NodePowerAction.Cycle),
            FinalAction.BmcNmi => (FinalAction.BmcNmi, NodePowerAction.Dump),
            FinalAction.Panic => (FinalAction.Panic, NodePowerAction.Dump),
            FinalAction.StopClusterService => (FinalAction.StopClusterService, NodePowerAction.None),
            // With node_actions: system the node powers itself off (or reboots) once it has left: nothing to fence.
            FinalAction.StopClusterServiceAndShutdown => (FinalAction.StopClusterServiceAndShutdown, config.NodeActions.System ? NodePowerAction.None : NodePowerAction.Off),
            FinalAction.StopClusterServiceAndReboot => (FinalAction.StopClusterServiceAndReboot, config.NodeActions.System ? NodePowerAction.None : NodePowerAction.Cycle),
            _ => (FinalAction.None, NodePowerAction.None),
        };

    /// <summary>
    /// An operator suspends, resumes or clears a monitor (a resource's own, or one of the <c>monitors:</c> list) on one
    /// node or on every node it runs on.
    /// </summary>
    private static ClusterState ApplyMonitorCommand(ClusterConfig config, ClusterState state, MonitorCommand c, ImmutableArray<string>.Builder notes)
    {
        var slash = c.Monitor.IndexOf('/', StringComparison.Ordinal);
        var listed = config.FindMonitor(c.Monitor);
        var group = listed is not null ? config.FindGroup(listed.Target) : slash > 0 ? config.FindGroup(c.Monitor[..slash]) : null;
        var resource = listed is null && slash > 0 ? c.Monitor[(slash + 1)..] : null;
        var runsOn = group is null ? [] : listed?.NodesFor(group) ?? group.Nodes;
        if (group is null || !state.Groups.TryGetValue(group.Name, out var g) || (listed is null && group.Resources.All(r => r.Name != resource))
            || (c.Node is not null && !runsOn.Contains(c.Node)))
        {
            return Note(notes, $"ignored {c.Action.ToString().ToLowerInvariant()} of unknown monitor {c.Monitor}", state);
        }

        var monitor = state.Monitors.GetValueOrDefault(c.Monitor) ?? new MonitorStatus { Name = c.Monitor };
        var nodes = monitor.Nodes;
        foreach (var node in c.Node is { } one ? [one] : runsOn.AsEnumerable())
        {
            var on = monitor.On(node);
            var stillFailed = resource is not null && g.State == GroupState.Online && g.Node == node && g.Resources.GetValueOrDefault(resource) == ResourceState.Failed;
            nodes = nodes.SetItem(node, c.Action switch
            {
                MonitorAction.Suspend => on with { Health = MonitorHealth.Suspended, Reason = $"suspended by {c.By}", Since = c.At },
                MonitorAction.Resume when on.Health == MonitorHealth.Suspended => on with { Health = MonitorHealth.Normal, Reason = $"resumed by {c.By}", Since = c.At },
                MonitorAction.Clear when stillFailed => on with { Handled = on.Detections - 1 },
                MonitorAction.Clear => on with
                {
                    Health = on.Health == MonitorHealth.Error ? MonitorHealth.Normal : on.Health,
                    Reason = $"cleared by {c.By}",
                    Since = c.At,
                    Handled = on.Detections,
                },
                _ => on,
            });
        }

        var counters = c.Action == MonitorAction.Clear ? new RecoveryCounters() : monitor.Counters;
        notes.Add($"monitor {c.Monitor}: {c.Action.ToString().ToLowerInvariant()} on {c.Node ?? "every node"} by {c.By}");
        return state with { Monitors = state.Monitors.SetItem(c.Monitor, monitor with { Nodes = nodes, Counters = counters }) };
    }

    /// <summary>reset_after of running cleanly: the monitor's ladder starts again from its first rung.</summary>
    private static ClusterState ApplyRecoveryReset(ClusterState state, RecoveryReset r, ImmutableArray<string>.Builder notes)
    {
        if (!state.Monitors.TryGetValue(r.Monitor, out var monitor) || monitor.Counters == new RecoveryCounters() || monitor.CleanSince is null)
        {
            return state;
        }

        notes.Add($"monitor {r.Monitor}: recovery counters reset: {r.Reason}");
        return state with { Monitors = state.Monitors.SetItem(r.Monitor, monitor with { Counters = new RecoveryCounters() }) };
    }

    /// <summary>
    /// <c>palisade group cleanup</c>: the group may go back to every node it failed on, and its monitors start their
    /// ladders again. A resource still failed where the group runs is answered again, from the first rung. With a node
    /// (<c>--node</c>, carried in <see cref="AdminRequest.To"/>), only that node's failure and monitors are cleared; the
    /// counters, which belong to the monitor, are reset only by a cleanup of every node.
    /// </summary>
    private static ClusterState ApplyCleanup(ClusterConfig config, ClusterState state, GroupStatus g, AdminRequest a, ImmutableArray<string>.Builder notes)
    {
        if (a.To is { } only)
        {
            return ApplyCleanupOn(config, state, g, a, only, notes);
        }

        var monitors = state.Monitors;
        var listed = config.Monitors.Where(m => m.Target == g.Name).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, monitor) in state.Monitors.Where(m => m.Key.StartsWith(g.Name + "/", StringComparison.Ordinal) || listed.Contains(m.Key)))
        {
            var resource = listed.Contains(name) ? null : name[(g.Name.Length + 1)..];
            var nodes = monitor.Nodes.ToImmutableSortedDictionary(n => n.Key, n =>
            {
                var stillFailed = resource is not null && g.State == GroupState.Online && g.Node == n.Key && g.Resources.GetValueOrDefault(resource) == ResourceState.Failed;
                return stillFailed
                    ? n.Value with { Handled = n.Value.Detections - 1 }
                    : n.Value with { Health = n.Value.Health == MonitorHealth.Error ? MonitorHealth.Normal : n.Value.Health, Reason = $"cleaned up by {a.By}", Handled = n.Value.Detections };
            });
            monitors = monitors.SetItem(name, monitor with { Nodes = nodes, Counters = new RecoveryCounters() });
        }

        notes.Add($"group {g.Name}: cleaned up by {a.By}: failed on {(g.FailedOn.IsEmpty ? "no node" : string.Join(", ", g.FailedOn))} before; recovery counters reset");
        return state with { Monitors = monitors, Groups = state.Groups.SetItem(g.Name, g with { FailedOn = [] }) };
    }

    private static ClusterState ApplyCleanupOn(ClusterConfig config, ClusterState state, GroupStatus g, AdminRequest a, string node, ImmutableArray<string>.Builder notes)
    {
        var monitors = state.Monitors;
        var listed = config.Monitors.Where(m => m.Target == g.Name).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, monitor) in state.Monitors.Where(m => m.Key.StartsWith(g.Name + "/", StringComparison.Ordinal) || listed.Contains(m.Key)))
        {
            var resource = listed.Contains(name) ? null : name[(g.Name.Length + 1)..];
            var on = monitor.On(node);
            var stillFailed = resource is not null && g.State == GroupState.Online && g.Node == node && g.Resources.GetValueOrDefault(resource) == ResourceState.Failed;
            var cleaned = stillFailed
                ? on with { Handled = on.Detections - 1 }
                : on with { Health = on.Health == MonitorHealth.Error ? MonitorHealth.Normal : on.Health, Reason = $"cleaned up on {node} by {a.By}", Handled = on.Detections };
            monitors = monitors.SetItem(name, monitor with { Nodes = monitor.Nodes.SetItem(node, cleaned) });
        }

        notes.Add($"group {g.Name}: cleaned up on {node} by {a.By}: {(g.FailedOn.Contains(node) ? "it may run there again" : "it had not failed there")}");
        return state with { Monitors = monitors, Groups = state.Groups.SetItem(g.Name, g with { FailedOn = g.FailedOn.Remove(node) }) };
    }
}
