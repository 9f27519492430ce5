using System.Collections.Immutable;
using Palisade.Core.Messages;

namespace Palisade.Core.State;

public static partial class StateMachine
{
    /// <summary><c>palisade maintenance on|off</c>: while on, the coordinator starts, stops, recovers and fences nothing.</summary>
    private static ClusterState ApplyMaintenance(ClusterState state, MaintenanceRequest m, ImmutableArray<string>.Builder notes)
    {
        var away = state.Nodes.Values.Where(n => n.LeftInMaintenance && n.State == NodeState.Unclean).Select(n => n.Name).ToList();
        notes.Add(m.On
            ? $"maintenance on, requested by {m.By}: nothing is started, stopped, recovered or fenced; a palisaded may stop and start again while its groups keep running"
            : $"maintenance off, requested by {m.By}: the cluster manages its groups again"
              + (away.Count == 0 ? "" : $"; {string.Join(", ", away)} left during maintenance and is not back: fenced before its groups are recovered"));
        return state with { Maintenance = m.On, MaintenanceSince = IntentStamp(state.MaintenanceSince, m.At), MaintenanceBy = m.By };
    }

    /// <summary>The maintenance mode the sender kept on disk, when newer than the state's (every palisaded restarted).</summary>
    private static ClusterState MergeMaintenance(ClusterState state, ProbeReport p, ImmutableArray<string>.Builder notes)
    {
        if (p.Maintenance is not { } kept || (state.MaintenanceSince is { } since && since >= kept.At))
        {
            return state;
        }

        notes.Add($"maintenance {(kept.On ? "on" : "off")}, as {kept.By} asked at {kept.At:yyyy-MM-dd HH:mm:ss} (kept on {p.From}'s disk)");
        return state with { Maintenance = kept.On, MaintenanceSince = kept.At, MaintenanceBy = kept.By };
    }

    /// <summary>
    /// What the probe of a node back during maintenance did not find of the groups the state shows Online there is not
    /// running: nothing was placed anywhere meanwhile, so the probe is the truth about that node (a resource that
    /// failed while the node was cut off, say). Such a group is Offline, to be placed once maintenance ends. One the
    /// probe could not tell about stays Online there but counts as failed there: stopped there when maintenance ends.
    /// </summary>
    private static ImmutableSortedDictionary<string, GroupStatus> NotFoundWhenBack(ClusterState state, NodeStatus node, ProbeReport p, ImmutableArray<string>.Builder notes)
    {
        var groups = state.Groups;
        var uncertain = p.Uncertain ?? [];
        foreach (var g in state.GroupsOn(node.Name).Where(g => g.State == GroupState.Online && !p.Running.Contains(g.Name) && !uncertain.Contains(g.Name)).ToList())
        {
            var why = $"not running on {node.Name} when it came back during maintenance";
            groups = groups.SetItem(g.Name, Offline(g, why, p.At));
            notes.Add($"group {g.Name} is Offline: {why}");
        }

        foreach (var g in state.GroupsOn(node.Name).Where(g => g.State == GroupState.Online && uncertain.Contains(g.Name)).ToList())
        {
            groups = groups.SetItem(g.Name, FailedUntilMaintenanceEnds(g, node.Name, p.At, notes));
        }

        return groups;
    }

    /// <summary>
    /// A group a probe could not tell about during maintenance may have failed there, and nothing watches it: it counts
    /// as failed there, so it is stopped there (and recovered) once maintenance ends; until then nothing touches it.
    /// </summary>
    private static GroupStatus FailedUntilMaintenanceEnds(GroupStatus g, string node, DateTimeOffset at, ImmutableArray<string>.Builder notes)
    {
        if (g.FailedOn.Contains(node))
        {
            return g;
        }

        var why = $"the probe on {node} could not tell whether it still runs there during maintenance: stopped there when maintenance ends";
        notes.Add($"group {g.Name}: {why}");
        return g with { FailedOn = g.FailedOn.Add(node), Reason = why, Since = at };
    }

    /// <summary>
    /// A node lost during maintenance that is a member again while maintenance lasts: nothing was placed anywhere in
    /// the meantime, so what it runs is what it ran. It is taken back Online and its probe is applied as any member's
    /// (a group found running elsewhere too still makes it Unclean). An operator's kill request still stands.
    /// </summary>
    private static bool BackFromMaintenance(ClusterState state, NodeStatus node) =>
        state.Maintenance
        && node is { State: NodeState.Unclean, LeftInMaintenance: true, KillRequestedBy: null }
        && state.Members.Contains(node.Id);
}
