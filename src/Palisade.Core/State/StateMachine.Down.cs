using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;

namespace Palisade.Core.State;

/// <summary>
/// The event path: a message says a node is down, the node that received it checks through the target's own agents
/// (read only) and publishes what it found. A confirmation counts as the fence of that life of the node: its groups
/// recover without a fence of their own. An unconfirmed report changes nothing.
/// </summary>
public static partial class StateMachine
{
    private static ClusterState ApplyDownChecked(ClusterConfig config, ClusterState state, NodeDownChecked d, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(d.Target, out var node))
        {
            return state;
        }

        if (!d.Confirmed)
        {
            return Note(notes, $"node {d.Target}: reported down, not confirmed by {d.From} ({d.Agent}): {d.Reason}; nothing changes", state);
        }

        // Online: the ring still carries it, so the read contradicts corosync; its loss, if real, is fenced as usual.
        if (node.Instance != d.Instance || node.State is not (NodeState.Unclean or NodeState.Fencing)
            || node.PowerAction != NodePowerAction.None)
        {
            var why = node.Instance != d.Instance ? "it has restarted since"
                : node.PowerAction != NodePowerAction.None ? "a final action's fence of it is under way"
                : node.State == NodeState.Online ? "it is still in the membership and Online"
                : $"it is {node.State}";
            return Note(notes, $"node {d.Target}: confirmed down by {d.From} ({d.Agent}), but {why}: nothing changes", state);
        }

        // Off after it was last seen running: what is in the membership now, if anything, is a new boot.
        var member = state.Members.Contains(node.Id);
        notes.Add($"{d.Target} fenced by {d.From} ({d.Agent}): confirmed down through its own agent: {d.Reason}");
        var groups = OfflineOn(state, d.Target, "was confirmed down", d.At, notes);
        if (member)
        {
            notes.Add($"node {d.Target} is back in the membership: Online, waiting for its probe");
        }

        var record = new FenceRecord(d.From, d.Target, d.Agent, "confirm", d.At, d.DurationMs, FenceResult.ConfirmedByEvent, $"event path: {d.Reason}");
        return state with
        {
            Groups = groups,
            FenceHistory = FenceHistory.Add(state.FenceHistory, record, config.Shutdown.HistoryLimit),
            Nodes = state.Nodes.SetItem(d.Target, node with
            {
                State = member ? NodeState.Online : NodeState.Fenced,
                Reason = $"confirmed down by {d.From} with {d.Agent} (event path)",
                Since = d.At,
                FencingBy = null,
                KillRequestedBy = null,
                MustStop = [],
                Probed = false,
                FenceFailures = 0,
                RejoinedWhileFencing = false,
            }),
        };
    }
}
