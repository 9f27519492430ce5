using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;

namespace Palisade.Core.State;

public static partial class StateMachine
{
    /// <summary>
    /// A node says what it found running. A group found on it that the cluster thought stopped is adopted there; a
    /// group found on it that runs elsewhere is a double activation, and the node is fenced to end it.
    /// </summary>
    private static ClusterState ApplyProbe(ClusterConfig config, ClusterState state, ProbeReport p, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(p.From, out var node))
        {
            return state;
        }

        state = MergeIntents(state, p, notes);
        state = MergeNodeIntents(state, p, notes);
        state = MergeMaintenance(state, p, notes);
        if (BackFromMaintenance(state, node))
        {
            notes.Add($"node {node.Name} is back during maintenance ({node.Reason}): Online, not fenced; its probe says what runs there");
            node = node with { State = NodeState.Online, Reason = "back during maintenance", Since = p.At, LeftInMaintenance = false, FenceFailures = 0, Leaving = false, RejoinedWhileFencing = false };
            state = state with { Nodes = state.Nodes.SetItem(node.Name, node), Groups = NotFoundWhenBack(state, node, p, notes) };
        }

        if (RestartedCleanly(state, node, p))
        {
            return ApplyCleanRestart(config, state, node, p, notes);
        }

        if (node.State != NodeState.Online)
        {
            // A lost node that came back: fencing goes ahead, but it has reported.
            return state with { Nodes = state.Nodes.SetItem(p.From, node with { Probed = true, Instance = node.Instance.Length == 0 ? p.Instance : node.Instance }) };
        }

        var groups = NotFoundOnFreshProbe(state, node, p, notes);
        var conflicts = new List<string>();
        foreach (var name in p.Running.Where(groups.ContainsKey))
        {
            var g = groups[name];
            if (g.Node == p.From)
            {
                continue;
            }

            if (g.State == GroupState.Offline)
            {
                groups = groups.SetItem(name, g with
                {
                    State = GroupState.Online,
                    Node = p.From,
                    Resources = g.Resources.ToImmutableSortedDictionary(r => r.Key, _ => ResourceState.Started),
                    Reason = $"found running on {p.From} when it joined",
                    Since = p.At,
                });
                notes.Add($"group {name}: Online on {p.From}: found running there when it joined");
            }
            else
            {
                conflicts.Add($"{name} ({g.State} on {g.Node})");
            }
        }

        var mustStop = node.MustStop;
        foreach (var name in (p.Uncertain ?? []).Where(groups.ContainsKey))
        {
            var g = groups[name];
            if (g.Node == p.From)
            {
                continue;
            }

            if (g.State == GroupState.Offline)
            {
                // It may be partly active there: that node stops it (a failed stop makes it Unclean) before the group
                // is placed anywhere.
                var why = $"the probe on {p.From} could not tell whether it runs there: stopping it there first";
                groups = groups.SetItem(name, g with { State = GroupState.Stopping, Node = p.From, Reason = why, Since = p.At, FailedOn = g.FailedOn.Add(p.From) });
                notes.Add($"group {name}: Stopping on {p.From}: {why}");
            }
            else
            {
                groups = groups.SetItem(name, g with { FailedOn = g.FailedOn.Add(p.From) });
                // Placed elsewhere: a monitor that failed is no evidence that it runs here too, so the node is not
                // fenced for it; it stops the group here, and only a failed stop makes it Unclean.
                mustStop = mustStop.Add(name);
                notes.Add($"group {name}: the probe on {p.From} could not tell whether it runs there too ({g.State} on {g.Node}): {p.From} stops it there");
            }
        }

        var probed = node with { Probed = true, Instance = p.Instance, MustStop = mustStop };
        if (conflicts.Count > 0)
        {
            var reason = $"runs {string.Join(", ", conflicts)} a second time";
            probed = probed with { State = NodeState.Unclean, Reason = reason, Since = p.At };
            notes.Add($"node {p.From} is Unclean: {reason}");
        }
        else
        {
            notes.Add($"node {p.From} probed: {(p.Running.IsEmpty ? "runs nothing" : "runs " + string.Join(", ", p.Running))}");
        }

        return state with { Groups = groups, Nodes = state.Nodes.SetItem(p.From, probed) };
    }

    /// <summary>
    /// The first probe of a node taken back (cleared, or restarted) that the state still shows running a group Online
    /// or Starting, from a palisaded that has never started a group: a start of its own cannot have overtaken the
    /// probe, so a group it did not find is not running there, and is Offline, free to be placed again; one its probe
    /// could not tell about is stopped there first. A palisaded
    /// that has started groups keeps what the state says; so does a group Stopping there (its stop may be under way),
    /// unless the palisaded was never asked to stop anything either: that stop died with an earlier process, so it is
    /// done if the group is not found, and ordered again (a fresh deadline) if it is.
    /// </summary>
    private static ImmutableSortedDictionary<string, GroupStatus> NotFoundOnFreshProbe(ClusterState state, NodeStatus node, ProbeReport p, ImmutableArray<string>.Builder notes)
    {
        var groups = state.Groups;
        if (!p.Fresh || node.Probed)
        {
            return groups;
        }

        var uncertain = p.Uncertain ?? [];
        foreach (var g in state.GroupsOn(p.From).Where(g => g.State == GroupState.Stopping && p.Idle).ToList())
        {
            if (p.Running.Contains(g.Name) || uncertain.Contains(g.Name))
            {
                var again = $"its stop on {p.From} ended with an earlier palisaded there: stopping it again";
                groups = groups.SetItem(g.Name, g with { Reason = again, Since = p.At });
                notes.Add($"group {g.Name}: Stopping on {p.From}: {again}");
            }
            else
            {
                var done = $"stopped on {p.From}: its palisaded, which has started and stopped nothing, did not find it";
                groups = groups.SetItem(g.Name, Offline(g, done, p.At));
                notes.Add($"group {g.Name} is Offline: {done}");
            }
        }

        foreach (var g in state.GroupsOn(p.From).Where(g => g.State is GroupState.Online or GroupState.Starting && !p.Running.Contains(g.Name)).ToList())
        {
            if (uncertain.Contains(g.Name) && state.Maintenance)
            {
                groups = groups.SetItem(g.Name, FailedUntilMaintenanceEnds(g, p.From, p.At, notes));
                continue;
            }

            if (uncertain.Contains(g.Name))
            {
                // It may run there, or only partly: stopped there first, as any group a probe could not tell about.
                var stop = $"the probe on {p.From} could not tell whether it still runs there: stopping it there first";
                groups = groups.SetItem(g.Name, g with { State = GroupState.Stopping, Reason = stop, Since = p.At, FailedOn = g.FailedOn.Add(p.From) });
                notes.Add($"group {g.Name}: Stopping on {p.From}: {stop}");
                continue;
            }

            var why = $"not running on {p.From}: its palisaded, which has started nothing, did not find it";
            groups = groups.SetItem(g.Name, Offline(g, why, p.At));
            notes.Add($"group {g.Name} is Offline: {why}");
        }

        return groups;
    }

    /// <summary>
    /// Operator intents the sender kept on disk: one newer than what the state holds replaces it, so a group stopped
    /// by hand stays stopped after every palisaded restarted and the state was formed again from the configuration.
    /// </summary>
    private static ClusterState MergeIntents(ClusterState state, ProbeReport p, ImmutableArray<string>.Builder notes)
    {
        var groups = state.Groups;
        foreach (var intent in p.Intents ?? [])
        {
            if (!groups.TryGetValue(intent.Group, out var g) || (g.TargetSince is { } since && since >= intent.At))
            {
                continue;
            }

            groups = groups.SetItem(intent.Group, g with { Target = intent.Target, TargetSince = intent.At, TargetBy = intent.By });
            notes.Add($"group {intent.Group}: target {intent.Target}, as {intent.By} asked at {intent.At:yyyy-MM-dd HH:mm:ss} (kept on {p.From}'s disk)");
        }

        return state with { Groups = groups };
    }
}
