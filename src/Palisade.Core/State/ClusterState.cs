using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;

namespace Palisade.Core.State;

/// <summary>
/// The replicated cluster state. Every node holds the same value because every node applies the same ordered
/// message stream to it; it is immutable so a snapshot can be handed to a joining node as it is.
/// </summary>
public sealed record ClusterState
{
    /// <summary>Number of messages applied since the cluster formed.</summary>
    public long Version { get; init; }

    public required ImmutableSortedDictionary<string, NodeStatus> Nodes { get; init; }
    public required ImmutableSortedDictionary<string, GroupStatus> Groups { get; init; }

    /// <summary>Node ids whose palisaded is in the CPG group, as of the last membership change.</summary>
    public ImmutableSortedSet<uint> Members { get; init; } = [];

    /// <summary>Members that hold the state (bootstrapped or received a snapshot); snapshots come from them.</summary>
    public ImmutableSortedSet<uint> Synced { get; init; } = [];

    /// <summary>Monitors that have reported anything, by name (resource monitors: <c>GROUP/RESOURCE</c>).</summary>
    public ImmutableSortedDictionary<string, MonitorStatus> Monitors { get; init; } = ImmutableSortedDictionary<string, MonitorStatus>.Empty;

    /// <summary>Every fence attempt and manual confirmation, oldest first, bounded by the configured limit.</summary>
    public ImmutableList<FenceRecord> FenceHistory { get; init; } = [];

    /// <summary>
    /// Maintenance mode (<c>palisade maintenance on</c>): the cluster starts, stops, recovers and fences nothing (an
    /// operator's kill excepted); a palisaded may stop and start again while its groups keep running untouched.
    /// </summary>
    public bool Maintenance { get; init; }

    /// <summary>When maintenance was last turned on or off (the intent's stamp); null: never.</summary>
    public DateTimeOffset? MaintenanceSince { get; init; }

    /// <summary>Who last turned maintenance on or off.</summary>
    public string? MaintenanceBy { get; init; }

    /// <summary>
    /// What each node's shutdown daemon last found testing its paths to the other nodes' agents (the fencing
    /// reachability matrix), by the testing node; sent by each node when a result changes.
    /// </summary>
    public ImmutableSortedDictionary<string, ImmutableArray<PathTest>> Reachability { get; init; } = ImmutableSortedDictionary<string, ImmutableArray<PathTest>>.Empty;

    /// <summary>True once the cluster has finished forming and placement may begin.</summary>
    public bool Settled { get; init; }

    /// <summary>How many message ids <see cref="RecentEvents"/> keeps.</summary>
    public const int RecentEventLimit = 4096;

    /// <summary>Ids of the messages from nodes' hardware and management layers applied last, oldest first: one published again is not applied twice.</summary>
    public ImmutableList<string> RecentEvents { get; init; } = [];

    public static ClusterState Initial(ClusterConfig config)
    {
        var nodes = config.Nodes.ToImmutableSortedDictionary(
            n => n.Name,
            n => new NodeStatus { Name = n.Name, Id = n.Id });
        var groups = config.Groups.ToImmutableSortedDictionary(
            g => g.Name,
            g => new GroupStatus
            {
                Name = g.Name,
                Target = g.AutoStart ? GroupTarget.Started : GroupTarget.Stopped,
                Resources = g.Resources.ToImmutableSortedDictionary(r => r.Name, _ => ResourceState.Stopped),
            });
        return new ClusterState { Nodes = nodes, Groups = groups };
    }

    public NodeStatus? NodeById(uint id) => Nodes.Values.FirstOrDefault(n => n.Id == id);

    public bool IsMember(string node) => Nodes.TryGetValue(node, out var n) && Members.Contains(n.Id);

    /// <summary>Healthy members only: Online and in the CPG group.</summary>
    public bool IsHealthy(string node) =>
        Nodes.TryGetValue(node, out var n) && n.State == NodeState.Online && !n.Leaving && Members.Contains(n.Id);

    /// <summary>A healthy member that is not in standby: a group may be placed on it.</summary>
    public bool CanHost(string node) => IsHealthy(node) && !Nodes[node].Standby;

    /// <summary>
    /// <paramref name="group"/> may be placed on <paramref name="node"/> now: it can host groups, the group has not
    /// failed there, and the node is not still stopping it.
    /// </summary>
    public bool MayPlace(GroupStatus group, string node) =>
        CanHost(node) && !group.FailedOn.Contains(node) && !Nodes[node].MustStop.Contains(group.Name);

    /// <summary>
    /// The coordinator: lowest node id among healthy members. When no member is healthy (every palisaded of the ring is
    /// Unclean, say after its own stop failed), the lowest-id Unclean member that has reported what it runs acts as
    /// coordinator for fencing only (<see cref="CoordinatesFencingOnly"/>), so two Unclean nodes are never stuck
    /// waiting for a healthy one that cannot come.
    /// </summary>
    public NodeStatus? Coordinator =>
        Members.Select(NodeById).FirstOrDefault(n => n is { State: NodeState.Online, Leaving: false })
        ?? Members.Select(NodeById).FirstOrDefault(n => n is { State: NodeState.Unclean, Leaving: false, Probed: true });

    /// <summary>The coordinator is an Unclean node: it fences other nodes and places nothing.</summary>
    public bool CoordinatesFencingOnly => Coordinator is { State: not NodeState.Online };

    /// <summary>
    /// <paramref name="node"/> is an Unclean member and every other node is known to run nothing: confirmed off
    /// (Fenced), or seen to leave cleanly (Offline after it was seen). A node never seen may still run anything. A node
    /// whose own stop failed is not one: what that stop left behind is unknown, and only a fence (or an operator) ends it.
    /// </summary>
    public bool IsSoleSurvivor(string node) =>
        Nodes.TryGetValue(node, out var self) && self.State == NodeState.Unclean && Members.Contains(self.Id)
        && !Groups.Values.Any(g => g.Node == node && g.State == GroupState.Failed)
        && Nodes.Values.All(n => n.Name == node
            || (!Members.Contains(n.Id) && (n.State == NodeState.Fenced || (n.State == NodeState.Offline && n.Seen))));

    public IEnumerable<GroupStatus> GroupsOn(string node) =>
        Groups.Values.Where(g => g.Node == node && g.State != GroupState.Offline);
}
