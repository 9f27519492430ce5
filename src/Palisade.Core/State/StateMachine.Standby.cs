using System.Collections.Immutable;
using Palisade.Core.Messages;

namespace Palisade.Core.State;

public static partial class StateMachine
{
    /// <summary>
    /// <c>palisade node standby|online NODE</c>: the node stays a member; in standby nothing is placed on it and the
    /// coordinator moves away what runs there.
    /// </summary>
    private static ClusterState ApplyStandby(ClusterState state, NodeStandbyRequest s, ImmutableArray<string>.Builder notes)
    {
        if (!state.Nodes.TryGetValue(s.Node, out var node))
        {
            return state;
        }

        notes.Add(s.Standby
            ? $"node {s.Node}: standby requested by {s.By}: nothing is placed there and its groups move away"
            : $"node {s.Node}: online requested by {s.By}: groups may be placed there again");
        return state with
        {
            Nodes = state.Nodes.SetItem(s.Node, node with { Standby = s.Standby, StandbySince = IntentStamp(node.StandbySince, s.At), StandbyBy = s.By }),
        };
    }

    /// <summary>
    /// Standby intents the sender kept on disk: one newer than what the state holds replaces it, so a node put in
    /// standby stays there after every palisaded restarted and the state was formed again from the configuration.
    /// </summary>
    private static ClusterState MergeNodeIntents(ClusterState state, ProbeReport p, ImmutableArray<string>.Builder notes)
    {
        var nodes = state.Nodes;
        foreach (var intent in p.NodeIntents ?? [])
        {
            if (!nodes.TryGetValue(intent.Node, out var n) || (n.StandbySince is { } since && since >= intent.At))
            {
                continue;
            }

            nodes = nodes.SetItem(intent.Node, n with { Standby = intent.Standby, StandbySince = intent.At, StandbyBy = intent.By });
            notes.Add($"node {intent.Node}: {(intent.Standby ? "standby" : "online")}, as {intent.By} asked at {intent.At:yyyy-MM-dd HH:mm:ss} (kept on {p.From}'s disk)");
        }

        return state with { Nodes = nodes };
    }
}
