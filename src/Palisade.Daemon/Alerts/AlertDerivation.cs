using System.Collections.Immutable;
using System.Globalization;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using Palisade.Core.State;

namespace Palisade.Daemon.Alerts;

/// <summary>
/// Turns one change of the replicated state (the state before and after it) into alert events, in a fixed order:
/// nodes, fencing, resources, then attributes (monitor statuses), each sorted by name. Pure: every node gets the same
/// events with the same sequences from the same change.
/// </summary>
internal static class AlertDerivation
{
    /// <param name="fencing">False for a change that only merges fence records from another node's disk (not fenced now).</param>
    public static ImmutableArray<AlertEvent> Derive(ClusterConfig config, ClusterState before, ClusterState after, DateTimeOffset at, bool fencing = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var owner = OwnerOf(after);
        var found = new List<(AlertKind Kind, string Node, string Desc, ImmutableSortedDictionary<string, string> Fields)>();
        Nodes(before, after, found);
        if (fencing)
        {
            Fencing(before, after, found);
        }

        Resources(config, before, after, found);
        Attributes(before, after, found);
        return [.. found.Take(AlertSequence.PerChange).Select((e, i) => new AlertEvent(
            AlertSequence.Of(after.Version, i), e.Kind, e.Node, after.Nodes.GetValueOrDefault(e.Node)?.Id ?? 0, e.Desc, at, owner, e.Fields))];
    }

    /// <summary>The node that delivers events of this state: its coordinator, else its lowest-id member.</summary>
    public static string OwnerOf(ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Coordinator?.Name ?? state.Members.Select(state.NodeById).FirstOrDefault(n => n is not null)?.Name ?? "";
    }

    private static ImmutableSortedDictionary<string, string> F(params (string Key, string Value)[] fields) =>
        fields.ToImmutableSortedDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);

    private static void Nodes(ClusterState before, ClusterState after, List<(AlertKind, string, string, ImmutableSortedDictionary<string, string>)> found)
    {
        foreach (var (name, node) in after.Nodes)
        {
            var was = before.Nodes.GetValueOrDefault(name)?.State ?? NodeState.Offline;
            if (was == node.State)
            {
                continue;
            }

            string? desc = node.State switch
            {
                NodeState.Online => "member",
                NodeState.Unclean => "lost",
                NodeState.Offline when was == NodeState.Online => "lost",
                NodeState.Fenced => "fenced",
                _ => null,
            };
            if (desc is not null)
            {
                found.Add((AlertKind.Node, name, desc, F(("state", node.State.ToString()), ("reason", node.Reason))));
            }
        }
    }

    private static void Fencing(ClusterState before, ClusterState after, List<(AlertKind, string, string, ImmutableSortedDictionary<string, string>)> found)
    {
        if (ReferenceEquals(before.FenceHistory, after.FenceHistory))
        {
            return;
        }

        var known = before.FenceHistory.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var r in after.FenceHistory.Where(r => !known.Contains(r.Id)))
        {
            var ok = r.Result is FenceResult.Worked or FenceResult.ConfirmedByOperator;
            var desc = $"Operation {r.Action} of {r.Target} by {r.By} with {r.Agent}: {r.Result} ({r.Reason})";
            found.Add((AlertKind.Fencing, r.Target, desc, F(
                ("task", r.Action), ("rc", ok ? "0" : "1"), ("target", r.Target), ("by", r.By), ("agent", r.Agent),
                ("result", r.Result.ToString()), ("duration_ms", r.DurationMs.ToString(CultureInfo.InvariantCulture)))));
        }
    }

    private static void Resources(ClusterConfig config, ClusterState before, ClusterState after, List<(AlertKind, string, string, ImmutableSortedDictionary<string, string>)> found)
    {
        foreach (var (name, group) in after.Groups)
        {
            var old = before.Groups.GetValueOrDefault(name);
            foreach (var (resource, state) in group.Resources)
            {
                var was = old?.Resources.GetValueOrDefault(resource) ?? ResourceState.Stopped;
                var moved = old?.Node != group.Node;
                if (was == state && !(moved && state == ResourceState.Started))
                {
                    continue;
                }

                var interval = config.FindGroup(name)?.Resources.FirstOrDefault(r => r.Name == resource)?.MonitorInterval ?? TimeSpan.Zero;
                (string Task, string Node, int Rc, string Desc)? e = state switch
                {
                    ResourceState.Started when group.Node is { } on => ("start", on, 0, "ok"),
                    ResourceState.Stopped when was == ResourceState.Started && (old?.Node ?? group.Node) is { } on => ("stop", on, 0, "ok"),
                    ResourceState.Failed when (group.Node ?? old?.Node) is { } on => (was == ResourceState.Starting ? "start" : was == ResourceState.Stopping ? "stop" : "monitor", on, 1, "error"),
                    _ => null,
                };
                if (e is not { } ev)
                {
                    continue;
                }

                var ms = ev.Task == "monitor" ? ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) : "0";
                found.Add((AlertKind.Resource, ev.Node, ev.Desc, F(
                    ("task", ev.Task), ("rsc", $"{name}/{resource}"), ("group", name), ("rc", ev.Rc.ToString(CultureInfo.InvariantCulture)),
                    ("target_rc", "0"), ("status", ev.Rc == 0 ? "0" : "4"), ("interval", ms), ("group_reason", group.Reason))));
            }
        }
    }

    private static void Attributes(ClusterState before, ClusterState after, List<(AlertKind, string, string, ImmutableSortedDictionary<string, string>)> found)
    {
        foreach (var (name, monitor) in after.Monitors)
        {
            var old = before.Monitors.GetValueOrDefault(name);
            foreach (var (node, on) in monitor.Nodes)
            {
                var was = old?.Nodes.GetValueOrDefault(node)?.Health;
                if (was == on.Health)
                {
                    continue;
                }

                var value = on.Health.ToString().ToLowerInvariant();
                found.Add((AlertKind.Attribute, node, $"monitor {name} on {node} is {value}: {on.Reason}", F(
                    ("attribute_name", $"monitor-{name}"), ("attribute_value", value), ("monitor", name), ("reason", on.Reason))));
            }
        }
    }
}
