using System.Collections.Immutable;
using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Planning;
using Palisade.Core.Shutdown;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>
/// What the watchdog agent reads about each node's signs of life, kept current by the host loop and read from the
/// shutdown daemon's tasks: one immutable snapshot, swapped whole. A node counts as lost from the first tick that sees
/// it outside the membership while Unclean or being fenced, until it is a member again or no longer needs fencing.
/// </summary>
internal sealed class NodeLivenessBoard(ClusterConfig config, SteadyClock steady) : INodeLiveness
{
    private volatile Snapshot _now = new(config, ImmutableHashSet<string>.Empty, ImmutableDictionary<string, DateTimeOffset>.Empty,
        ImmutableDictionary<string, DateTimeOffset>.Empty);

    public DateTimeOffset Now => steady.Now;

    public NodeLiveness Of(string node)
    {
        var s = _now;
        return new NodeLiveness(
            s.Config.FindNode(node)?.Watchdog,
            s.Config.Shutdown.WatchdogTimeout,
            s.Members.Contains(node),
            s.LostAt.TryGetValue(node, out var lost) ? lost : null,
            s.Adverts.TryGetValue(node, out var advert) ? advert : null);
    }

    public void Update(ClusterConfig current, ClusterState? state, IReadOnlyDictionary<string, ReceivedAdvert> adverts, DateTimeOffset now)
    {
        var before = _now;
        if (state is null)
        {
            _now = before with { Config = current };
            return;
        }

        var members = state.Members.Select(state.NodeById).Where(n => n is not null).Select(n => n!.Name).ToImmutableHashSet(StringComparer.Ordinal);
        var lost = state.Nodes.Values
            .Where(n => !members.Contains(n.Name) && n.State is NodeState.Unclean or NodeState.Fencing)
            .ToImmutableDictionary(n => n.Name, n => before.LostAt.TryGetValue(n.Name, out var since) ? since : now, StringComparer.Ordinal);
        _now = new Snapshot(current, members, lost, adverts.ToImmutableDictionary(a => a.Key, a => a.Value.ReceivedAt, StringComparer.Ordinal));
    }

    private sealed record Snapshot(
        ClusterConfig Config,
        ImmutableHashSet<string> Members,
        ImmutableDictionary<string, DateTimeOffset> LostAt,
        ImmutableDictionary<string, DateTimeOffset> Adverts);
}
