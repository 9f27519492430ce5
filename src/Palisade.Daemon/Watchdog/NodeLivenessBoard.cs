using System.Collections.Immutable;
using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>
/// What the watchdog agent reads about each node's signs of life, kept current by the host loop and read from the
/// shutdown daemon's tasks: one immutable snapshot, swapped whole.
/// </summary>
internal sealed class NodeLivenessBoard(ClusterConfig config) : INodeLiveness
{
    private volatile Snapshot _now = new(config, ImmutableHashSet<string>.Empty, ImmutableDictionary<string, DateTimeOffset>.Empty,
        ImmutableDictionary<string, DateTimeOffset>.Empty);

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

    public void Update(ClusterConfig current, ClusterState? state, ImmutableDictionary<string, DateTimeOffset> lostAt, IReadOnlyDictionary<string, ReceivedAdvert> adverts)
    {
        var members = state is null
            ? _now.Members
            : state.Members.Select(state.NodeById).Where(n => n is not null).Select(n => n!.Name).ToImmutableHashSet(StringComparer.Ordinal);
        _now = new Snapshot(current, members, lostAt, adverts.ToImmutableDictionary(a => a.Key, a => a.Value.ReceivedAt, StringComparer.Ordinal));
    }

    private sealed record Snapshot(
        ClusterConfig Config,
        ImmutableHashSet<string> Members,
        ImmutableDictionary<string, DateTimeOffset> LostAt,
        ImmutableDictionary<string, DateTimeOffset> Adverts);
}
