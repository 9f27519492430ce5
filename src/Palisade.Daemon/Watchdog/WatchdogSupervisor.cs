using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Planning;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Palisade.Corosync;

namespace Palisade.Daemon;

/// <summary>
/// The host's one call into watchdog self-fencing at each tick: it tells this node's watchdog whether the node is
/// healthy, keeps the nodes' signs of life for the watchdog agent, and holds every fence once this node stopped
/// feeding its watchdog (it is about to be reset: a node that yields must not take the other's services).
/// </summary>
internal sealed class WatchdogSupervisor(IWatchdog watchdog, NodeLivenessBoard liveness, IQuorumView corosync)
{
    private bool _quorate;
    private bool _whole = true;

    public IWatchdog Watchdog => watchdog;

    public NodeLivenessBoard Liveness => liveness;

    public void Tick(
        ClusterConfig config,
        ClusterState? state,
        PartitionVerdict? verdict,
        IReadOnlyDictionary<string, ReceivedAdvert> adverts,
        DateTimeOffset now)
    {
        liveness.Update(config, state, adverts, now);
        watchdog.Observe(Facts(config, verdict));
    }

    /// <summary>The holds partition resolution gave, and, once this node's watchdog starves, a hold on every lost node for good.</summary>
    public ImmutableDictionary<string, FenceHold> Holds(ImmutableDictionary<string, FenceHold> holds, IEnumerable<string> lost)
    {
        if (watchdog.State != WatchdogState.Starving)
        {
            return holds;
        }

        var hold = new FenceHold(DateTimeOffset.MaxValue,
            $"this node stopped feeding its watchdog ({watchdog.StarvingBecause}) and is about to be reset: it fences nobody");
        return lost.Aggregate(holds, (h, node) => h.SetItem(node, hold));
    }

    private WatchdogFacts Facts(ClusterConfig config, PartitionVerdict? verdict)
    {
        bool alive;
        try
        {
            var reading = corosync.ReadQuorum();
            _whole = corosync.WholeMembership() ?? _whole;
            alive = true;
            _quorate = reading switch
            {
                QuorumReading.Quorate => true,
                QuorumReading.NotQuorate => false,
                _ => _quorate, // corosync busy: says nothing about quorum
            };
        }
        catch (CorosyncException)
        {
            alive = false;
        }

        return new WatchdogFacts(alive, _quorate, _whole ? null : Yielding(config, verdict));
    }

    /// <summary>
    /// In a two-node cluster both halves of a split keep quorum; the one partition resolution does not make the
    /// heaviest yields. Both sides weigh from the state they held before the split, so they agree without talking.
    /// </summary>
    public static string? Yielding(ClusterConfig config, PartitionVerdict? verdict) =>
        config.TwoNode && verdict is { Heaviest: false } ? verdict.Summary : null;
}
