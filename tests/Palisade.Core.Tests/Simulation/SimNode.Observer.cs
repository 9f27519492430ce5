using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;

namespace Palisade.Core.Tests.Simulation;

internal sealed partial class SimNode
{
    private readonly Dictionary<string, OwnerHistory> _history = [];

    /// <summary>
    /// Checks, on every replica, that a group is started only when its previous owner is known not to run it:
    /// the owner reported a clean stop or a rolled-back start itself, or it was fenced.
    /// </summary>
    private void Observe(ClusterMessage message, ClusterState? before, ReplicaPhase phaseBefore)
    {
        var after = Replica!.State;
        if (after is null || before is null || phaseBefore != ReplicaPhase.Synced || Replica.Phase != ReplicaPhase.Synced)
        {
            // A new, adopted or dropped state: what happened before it is not known here.
            _history.Clear();
            foreach (var g in after?.Groups.Values ?? [])
            {
                _history[g.Name] = new OwnerHistory(g.Node, Clean: g.Node is null);
            }

            return;
        }

        foreach (var (name, now) in after.Groups)
        {
            var was = before.Groups[name];
            if (message is GroupStartOrdered s && s.Group == name && was.State == GroupState.Offline && now.State == GroupState.Starting)
            {
                CheckStart(s, before);
            }

            if (now.Node is { } owner)
            {
                _history[name] = new OwnerHistory(owner, Clean: false);
            }
            else if (was.Node is { } previous)
            {
                _history[name] = new OwnerHistory(previous, ReleasedCleanly(message, previous));
            }
        }
    }

    private void CheckStart(GroupStartOrdered start, ClusterState before)
    {
        if (!_history.TryGetValue(start.Group, out var h) || h.Owner is not { } previous || previous == start.Node || h.Clean)
        {
            return;
        }

        var state = before.Nodes[previous].State;
        if (state is NodeState.Unclean or NodeState.Fencing)
        {
            _sim.Violation($"{Name}: {start.Group} ordered to start on {start.Node} while its previous owner {previous} is {state}");
        }
    }

    private static bool ReleasedCleanly(ClusterMessage message, string previous) => message switch
    {
        GroupStopped s => s.From == previous,
        GroupStartFailed f => f.From == previous,
        FenceCompleted { Success: true } f => f.Target == previous,
        _ => false,
    };

    private sealed record OwnerHistory(string? Owner, bool Clean);
}
