using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;

namespace Palisade.Core.State;

public static partial class StateMachine
{
    private static ClusterState ApplyFenceAttempted(ClusterConfig config, ClusterState state, FenceAttempted a, ImmutableArray<string>.Builder notes)
    {
        notes.Add($"fence attempt on {a.Target} by {a.From} with agent {a.AgentIndex}:{a.Agent} ({a.Action}): {a.Result} in {a.DurationMs} ms: {a.Reason}");
        var record = new FenceRecord(a.From, a.Target, $"{a.AgentIndex}:{a.Agent}", a.Action, a.Started, a.DurationMs, a.Result, a.Reason);
        return state with { FenceHistory = FenceHistory.Add(state.FenceHistory, record, config.Shutdown.HistoryLimit) };
    }

    /// <summary>An operator asked to stop a node by force: it is treated as lost, so its groups recover after the kill.</summary>
    private static ClusterState ApplyFenceRequested(ClusterState state, FenceRequested r, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(r.Target, out var node) || node.State == NodeState.Fencing)
        {
            return Note(notes, $"stop of {r.Target} requested by {r.By}: already being fenced", state);
        }

        var reason = $"{r.By} asked to stop it by force";
        notes.Add($"node {r.Target} is Unclean: {reason}");
        return state with
        {
            Nodes = state.Nodes.SetItem(r.Target, node with
            {
                State = NodeState.Unclean,
                Reason = reason,
                Since = r.At,
                FenceFailures = 0,
                KillRequestedBy = r.By,
                PowerAction = Configuration.NodePowerAction.Off,
            }),
        };
    }

    /// <summary>
    /// An operator says a lost node is down. Its groups may then start elsewhere: if the node still runs, they run
    /// twice, which is why the command warns and the history records who said so.
    /// </summary>
    private static ClusterState ApplyConfirmedDown(ClusterConfig config, ClusterState state, NodeConfirmedDown c, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(c.Target, out var node) || node.State is not (NodeState.Unclean or NodeState.Fencing)
            || state.Members.Contains(node.Id))
        {
            return Note(notes, $"{c.By} confirmed {c.Target} down, but it is not a lost node: ignored", state);
        }

        notes.Add($"{c.Target} confirmed down by {c.By}: it was not fenced");
        var groups = OfflineOn(state, c.Target, $"was confirmed down by {c.By}", c.At, notes);

        var record = new FenceRecord(c.By, c.Target, "operator", "confirm-down", c.At, 0, FenceResult.ConfirmedByOperator,
            "an operator confirmed the node is down; no agent stopped it");
        return state with
        {
            Groups = groups,
            FenceHistory = FenceHistory.Add(state.FenceHistory, record, config.Shutdown.HistoryLimit),
            Nodes = state.Nodes.SetItem(c.Target, node with
            {
                State = NodeState.Fenced,
                Reason = $"confirmed down by {c.By}",
                Since = c.At,
                FencingBy = null,
                KillRequestedBy = null,
                PowerAction = Configuration.NodePowerAction.None,
                MustStop = [],
            }),
        };
    }

    private static ClusterState ApplyShutdownDaemonChanged(ClusterState state, ShutdownDaemonChanged d, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(d.From, out var node) || node.ShutdownDaemon == d.Running)
        {
            return state;
        }

        notes.Add($"shutdown daemon on {d.From} {(d.Running ? "started" : "stopped: it fences nobody")}: {d.Reason}");
        return state with { Nodes = state.Nodes.SetItem(d.From, node with { ShutdownDaemon = d.Running }) };
    }

    /// <summary>A node's path test results: kept for the reachability matrix; a path that stops or starts working is noted.</summary>
    private static ClusterState ApplyPathTests(ClusterState state, PathTestsReported r, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.ContainsKey(r.From))
        {
            return state;
        }

        var before = state.Reachability.GetValueOrDefault(r.From, []);
        foreach (var path in r.Paths.Where(p => p.Result != "untested"))
        {
            var was = before.FirstOrDefault(b => b.Target == path.Target && b.Index == path.Index && b.Agent == path.Agent)?.Result;
            if (was != path.Result && !(was is null or "untested" && path.Result == "worked"))
            {
                notes.Add($"shutdown daemon on {r.From}: the path to {path.Target} through {path.Index}:{path.Agent} {(path.Result == "worked" ? "works again" : "failed its test")}");
            }
        }

        return state with { Reachability = state.Reachability.SetItem(r.From, r.Paths) };
    }

    private static ClusterState ApplyHistoryImported(ClusterConfig config, ClusterState state, HistoryImported h, ImmutableArray<string>.Builder notes)
    {
        var merged = FenceHistory.Merge(state.FenceHistory, h.Records, config.Shutdown.HistoryLimit);
        if (merged.Count != state.FenceHistory.Count || !merged.SequenceEqual(state.FenceHistory))
        {
            notes.Add($"fence history: merged {h.Records.Length} entries kept on disk by {h.From}");
        }

        return state with { FenceHistory = merged };
    }

    /// <summary>
    /// A lost node whose palisaded came back as a new process that runs nothing has restarted cleanly: there is
    /// nothing left to stop, so it is not fenced. So has one whose palisaded never started a group (a node not seen
    /// since the cluster formed, say), since no start of its own can overtake its probe. The same process coming back
    /// after it started groups (a healed partition) is still fenced: a start of its may be under way.
    /// </summary>
    private static bool RestartedCleanly(ClusterState state, NodeStatus node, ProbeReport p) =>
        node.State == NodeState.Unclean
        && node.KillRequestedBy is null
        && state.Members.Contains(node.Id)
        && (p.Fresh || (node.Instance.Length > 0 && p.Instance.Length > 0 && p.Instance != node.Instance))
        && p.Running.IsEmpty
        && (p.Uncertain ?? []).IsEmpty;

    private static ClusterState ApplyCleanRestart(ClusterConfig config, ClusterState state, NodeStatus node, ProbeReport p, ImmutableArray<string>.Builder notes)
    {
        notes.Add($"node {node.Name} restarted cleanly after being lost ({node.Reason}): Online, not fenced");
        var groups = OfflineOn(state, node.Name, "restarted and runs nothing", p.At, notes);

        var record = new FenceRecord(p.From, node.Name, "none", "none", p.At, 0, FenceResult.RestartedCleanly,
            $"restarted cleanly after being lost ({node.Reason}); not fenced");
        return state with
        {
            Groups = groups,
            FenceHistory = FenceHistory.Add(state.FenceHistory, record, config.Shutdown.HistoryLimit),
            Nodes = state.Nodes.SetItem(node.Name, node with
            {
                State = NodeState.Online,
                Reason = "restarted cleanly after being lost",
                Since = p.At,
                Probed = true,
                Instance = p.Instance,
                FenceFailures = 0,
                Leaving = false,
                MustStop = [],
            }),
        };
    }
}
