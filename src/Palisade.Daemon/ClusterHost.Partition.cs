using System.Collections.Immutable;
using Palisade.Core.Planning;
using Palisade.Core.Shutdown;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>Partition resolution: weighing this partition against the lost nodes', and what this node advertises.</summary>
internal sealed partial class ClusterHost
{
    private ImmutableDictionary<string, DateTimeOffset> _lostAt = ImmutableDictionary<string, DateTimeOffset>.Empty;
    private string? _lastVerdict;
    private PartitionVerdict? _verdict;

    /// <summary>
    /// When this partition last changed: quorum gained or the CPG membership changed (steady clock). A wait counts
    /// from then at the earliest: a node lost while this partition had no quorum, or had other members, was lost to
    /// another partition than the one that now weighs itself, and the other side's wait starts now too.
    /// </summary>
    private DateTimeOffset _partitionSince = DateTimeOffset.MinValue;

    private void NotePartitionChanged() => _partitionSince = _steady.Now;

    /// <summary>
    /// Which lost nodes' fencing waits, and until when. Nodes count as lost from the moment this node first saw them
    /// lost (<see cref="PartitionResolver.Lost"/>); every verdict that changes is logged with its figures.
    /// </summary>
    private ImmutableDictionary<string, FenceHold> ResolvePartition(ClusterState state, DateTimeOffset now)
    {
        var lost = PartitionResolver.Lost(state);
        var lostAt = _lostAt.Where(l => lost.Contains(l.Key)).ToImmutableDictionary();
        foreach (var node in lost.Where(n => !lostAt.ContainsKey(n)))
        {
            lostAt = lostAt.Add(node, now);
        }

        if (lostAt.Count != _lostAt.Count)
        {
            _adverts.SendNow();
        }

        _lostAt = lostAt;
        var since = _lostAt.ToImmutableDictionary(l => l.Key, l => l.Value > _partitionSince ? l.Value : _partitionSince);
        var verdict = PartitionResolver.Resolve(_live.Current, state, since, _adverts.Received, now);
        _verdict = verdict;
        var text = verdict?.Summary;
        if (text is not null && text != _lastVerdict && _quorate)
        {
            SdLog.PartitionVerdict(_log, text);
        }

        _lastVerdict = text;
        return verdict?.Holds ?? ImmutableDictionary<string, FenceHold>.Empty;
    }

    /// <summary>How long after a failed fence attempt the advert still says this partition is killing that node.</summary>
    private static readonly TimeSpan RetriedKillHolds = TimeSpan.FromSeconds(10);

    /// <summary>What this node tells the others over the admin LAN; read from the advert timer, so only snapshots.</summary>
    private PartitionAdvert? CurrentAdvert()
    {
        if (_replica.State is not { } state || _replica.Phase != Core.Replication.ReplicaPhase.Synced)
        {
            return null;
        }

        var members = state.Members.Select(state.NodeById).Where(n => n is not null).Select(n => n!.Name).Order(StringComparer.Ordinal).ToImmutableArray();
        var weight = PartitionResolver.Weigh(_live.Current, state, members).Weight;
        // A lost node whose fence failed a moment ago is still being killed: the retry follows after a short backoff
        // (1, 2, 4, 8 s). Said so, the lighter side keeps waiting instead of fencing this side in that gap, so the two
        // sides do not both fence (the retry landing as the lighter side's own kill does). Past that, the retries are
        // far apart and no longer hold the other side back: a side whose agents keep failing does not block it for good.
        var now = Time.GetUtcNow();
        var killing = state.Nodes.Values
            .Where(n => n.State == NodeState.Fencing
                || (n.State == NodeState.Unclean && n.FenceFailures > 0 && !state.Members.Contains(n.Id)
                    && n.LastFenceAttempt is { } last && now - last < RetriedKillHolds))
            .Select(n => n.Name).Order(StringComparer.Ordinal).ToImmutableArray();
        return new PartitionAdvert(_config.Name, LocalNode, members, weight, _quorate, killing);
    }
}
