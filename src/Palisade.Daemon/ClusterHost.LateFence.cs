using System.Collections.Immutable;
using System.Globalization;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>
/// Fences announced late. Partition resolution lets the heavier part fence at once because the lighter one waits; if
/// this node's own announcement of that fence reached the cluster only after a good part of that wait (corosync busy,
/// sends refused), the lighter part may already be fencing this one, and running the fence now could leave both parts
/// powered off. Such a fence is not run: it is recorded as declined, and this node waits a full partition delay, as a
/// lighter part would, before it decides again. Only a fence the partition verdict covers is concerned: without another
/// part that may hold quorum, nobody else is fencing.
/// </summary>
internal sealed partial class ClusterHost
{
    private readonly Dictionary<string, string> _lateFences = [];

    /// <summary>
    /// When this node first decided to fence each target whose announcement it has not heard yet. A decision made again
    /// (its first announcement still unheard after the pending expiry) keeps the first time: the first announcement
    /// may still be the one the cluster hears, and the wait counts from the first decision.
    /// </summary>
    private readonly Dictionary<string, DateTimeOffset> _fenceDecided = [];
    private ImmutableDictionary<string, FenceHold> _lateHolds = ImmutableDictionary<string, FenceHold>.Empty;

    /// <summary>After how long an announcement counts as late: a quarter of the partition delay, well inside the shortest wait of a lighter part (half of it).</summary>
    private TimeSpan LateAfter => _live.Current.Shutdown.PartitionDelay / 4;

    private void NoteFenceDecided(ClusterMessage decision, DateTimeOffset steady)
    {
        if (decision is FenceStarted { Executor: var executor, Target: var target } && executor == LocalNode)
        {
            _fenceDecided.TryAdd(target, steady);
        }
    }

    /// <summary>A target back Online no longer has a fence of this node on its way.</summary>
    private void ForgetFenceDecisions()
    {
        if (_replica.State is not { } state)
        {
            return;
        }

        foreach (var target in _fenceDecided.Keys.Where(t => state.Nodes.TryGetValue(t, out var n) && n.State == NodeState.Online).ToList())
        {
            _fenceDecided.Remove(target);
        }
    }

    private void NoteFenceAnnounced(FenceStarted started)
    {
        if (started.Executor != LocalNode || !_fenceDecided.Remove(started.Target, out var decided))
        {
            return;
        }

        var after = _steady.Now - decided;
        if (_verdict is null || LateAfter <= TimeSpan.Zero || after <= LateAfter)
        {
            return;
        }

        // A full partition delay, plus this partition's own wait: when every side's announcement was late (corosync
        // slow everywhere), the sides still decide again in the order partition resolution gives them.
        var delay = _live.Current.Shutdown.PartitionDelay + _verdict.Delay;
        var why = string.Create(CultureInfo.InvariantCulture,
            $"this node decided to fence {started.Target} {after.TotalSeconds:0.0} s before the cluster heard it (over {LateAfter.TotalSeconds:0.0} s): another partition may be fencing this one by now; waiting {delay.TotalSeconds:0.0} s before deciding again");
        _lateFences[started.Target] = why;
        _lateHolds = _lateHolds.SetItem(started.Target, new FenceHold(_steady.Now + delay,
            $"this node's last fence of {started.Target} was announced late; another partition may be fencing this one"));
    }

    /// <summary>
    /// Why a fence of <paramref name="target"/> by this node is not run now: while the wait after a late announcement
    /// lasts, every announcement of it is declined, also one decided again before the late one was heard.
    /// </summary>
    private string? LateFence(string target)
    {
        if (!_lateFences.TryGetValue(target, out var why))
        {
            return null;
        }

        if (_lateHolds.TryGetValue(target, out var hold) && hold.Until > _steady.Now)
        {
            return why;
        }

        _lateFences.Remove(target);
        return null;
    }

    private Task Decline(string target, string why)
    {
        _sd.Decline(target, why);
        return Task.CompletedTask;
    }

    /// <summary>The partition holds plus this node's own waits after a late fence, on the steady clock.</summary>
    private ImmutableDictionary<string, FenceHold> WithLateHolds(ImmutableDictionary<string, FenceHold> holds, DateTimeOffset steady)
    {
        // Kept through the Fencing state the declined attempt passes through; it only ever delays a fence.
        _lateHolds = _lateHolds.RemoveRange(_lateHolds.Where(h => h.Value.Until <= steady).Select(h => h.Key));
        return _lateHolds.Aggregate(holds, (all, h) => all.TryGetValue(h.Key, out var other) && other.Until >= h.Value.Until ? all : all.SetItem(h.Key, h.Value));
    }
}
