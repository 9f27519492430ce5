using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Core.Replication;

/// <summary>What delivering one message produced on this node.</summary>
public sealed record DeliveryResult(
    ImmutableArray<string> Notes,
    ImmutableArray<NodeMessage> ToSend,
    ImmutableArray<LocalEffect> Effects)
{
    public static readonly DeliveryResult None = new([], [], []);

    /// <summary>This node replaced the state it held with another side's after a merge: it must probe again.</summary>
    public bool AdoptedState { get; init; }
}

public enum ReplicaPhase
{
    /// <summary>Not yet in the group.</summary>
    Joining,

    /// <summary>Joined a group that already had state; messages are kept until a snapshot arrives.</summary>
    AwaitingSnapshot,

    Synced,
}

/// <summary>
/// One node's copy of the replicated state: applies delivered messages in order, bootstraps a new cluster from the
/// configuration, takes a snapshot when joining a running one, and says what this node must do or send.
/// </summary>
public sealed class Replica
{
    private const int KeptStates = 128;
    private readonly ClusterConfig _config;
    private readonly List<ClusterMessage> _buffer = [];
    private readonly Queue<ClusterState> _recent = new();

    // State right after each member that is not synced yet joined, so that another holder can send its snapshot if
    // the one expected to send it leaves first (the joiner has buffered everything since it joined).
    private readonly Dictionary<uint, ClusterState> _joinStates = [];
    private readonly Dictionary<uint, DateTimeOffset> _snapshotSentAt = [];
    private ImmutableSortedSet<uint> _members = [];
    private int _totem;
    private ImmutableSortedSet<uint> _stateless = [];

    // After a merge, both sides may hold a state (a two-node cluster keeps quorum on both halves). The lowest node id
    // that held the state this node holds is its lineage; a snapshot from a lower lineage replaces it, replaying what
    // was delivered since the merge, so every member ends with the same state.
    private const int MaxSinceMerge = 10_000;
    private readonly List<ClusterMessage> _sinceMerge = [];
    private uint? _lineage;

    public Replica(ClusterConfig config, string localNode)
    {
        _config = config;
        LocalNode = localNode;
        LocalId = config.FindNode(localNode)?.Id ?? throw new ArgumentException($"node {localNode} is not in the configuration", nameof(localNode));
    }

    public string LocalNode { get; }
    public uint LocalId { get; }
    public ReplicaPhase Phase { get; private set; } = ReplicaPhase.Joining;

    /// <summary>The state; null until this node holds it.</summary>
    public ClusterState? State { get; private set; }

    /// <summary>
    /// Delivers one message that node <paramref name="senderId"/> put on the stream, after checking that the sender
    /// speaks only for itself (<see cref="SenderCheck"/>); a message that fails is dropped with a note.
    /// </summary>
    public DeliveryResult DeliverFrom(uint senderId, ClusterMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        return SenderCheck.Problem(_config, senderId, message) is { } problem
            ? DeliveryResult.None with { Notes = [$"refused a message: {problem}"] }
            : Deliver(message, now);
    }

    /// <summary>Delivers one message in the agreed order.</summary>
    /// <param name="message">The message.</param>
    /// <param name="now">Local clock, stamped on anything this node sends in response.</param>
    public DeliveryResult Deliver(ClusterMessage message, DateTimeOffset now)
    {
        if (message is MembershipChanged m)
        {
            return DeliverMembership(m, now);
        }

        if (message is TotemChanged t)
        {
            _totem = t.Members.Length;
            return DeliveryResult.None;
        }

        if (Phase == ReplicaPhase.AwaitingSnapshot)
        {
            switch (message)
            {
                case StateSnapshot s when s.For.Contains(LocalId):
                    return AdoptSnapshot(s, now);
                case NoState n:
                    // Kept for the replay too: holders apply it, so the versions must count it here as well.
                    _buffer.Add(n);
                    if (SaidInThisView(n))
                    {
                        _stateless = _stateless.Add(n.NodeId);
                    }

                    return BootstrapIfNobodyHoldsState(now);
                default:
                    _buffer.Add(message);
                    return DeliveryResult.None;
            }
        }

        if (Phase != ReplicaPhase.Synced)
        {
            return DeliveryResult.None;
        }

        if (message is StateSnapshot snapshot && FromLowerLineage(snapshot) is { } lineage)
        {
            return AdoptAfterMerge(snapshot, lineage, now);
        }

        var result = ApplyOne(message, now);
        TrackSinceMerge(message);
        return message is NoState asking && SnapshotAgain(asking, now) is { } again ? result with { ToSend = result.ToSend.Add(again) } : result;
    }

    /// <summary>This node's announcement that it holds no state, stamped with the view it speaks for.</summary>
    public NoState AskForState(string why, DateTimeOffset now) => new(LocalId, why) { From = LocalNode, At = now, View = [.. _members] };

    /// <summary>
    /// Whether <paramref name="n"/> was said in the view every member counts in now. Every member of a view compares
    /// against the same membership, so all of them count the same announcements and start at the same message.
    /// </summary>
    private bool SaidInThisView(NoState n) => n.View.IsDefaultOrEmpty || _members.SetEquals(n.View);

    /// <summary>
    /// A member still asking for the state long after this node sent it one: that snapshot was lost on a failed send,
    /// and nobody else will send another. It goes again, as of the member's join, so its replay still lines up.
    /// </summary>
    private StateSnapshot? SnapshotAgain(NoState n, DateTimeOffset now)
    {
        if (State is not { Synced.IsEmpty: false } state || state.Synced.Min != LocalId || state.Synced.Contains(n.NodeId)
            || !_joinStates.TryGetValue(n.NodeId, out var atJoin)
            || (_snapshotSentAt.TryGetValue(n.NodeId, out var sent) && now - sent < ReportRetry.Interval))
        {
            return null;
        }

        return Snapshot([n.NodeId], atJoin, now);
    }

    private StateSnapshot Snapshot(ImmutableArray<uint> forNodes, ClusterState state, DateTimeOffset now)
    {
        foreach (var id in forNodes)
        {
            _snapshotSentAt[id] = now;
        }

        return new StateSnapshot(forNodes, state) { From = LocalNode, At = now };
    }

    /// <summary>The sender's id when <paramref name="s"/> is another side's state this node must take after a merge.</summary>
    private uint? FromLowerLineage(StateSnapshot s) =>
        _lineage is { } ours && s.For.Contains(LocalId) && _config.FindNode(s.From) is { } sender && sender.Id < ours ? sender.Id : null;

    private DeliveryResult AdoptAfterMerge(StateSnapshot s, uint lineage, DateTimeOffset now)
    {
        var replay = _sinceMerge.ToList();
        Replace(s.State);
        var notes = ImmutableArray.CreateBuilder<string>();
        notes.Add($"merged with a side that held its own state: taking {s.From}'s state at version {s.State.Version} "
            + $"(the side of the lowest node id wins) and replaying {replay.Count} message(s); this node probes again");
        foreach (var m in replay)
        {
            notes.AddRange(ApplyOne(m, now).Notes);
        }

        notes.AddRange(ApplyOne(s, now).Notes);
        StartTracking(lineage, replay.Append(s));
        return new DeliveryResult(notes.ToImmutable(), [], []) { AdoptedState = true };
    }

    private void StartTracking(uint? lineage, IEnumerable<ClusterMessage> since)
    {
        _lineage = lineage;
        _sinceMerge.Clear();
        _sinceMerge.AddRange(since);
    }

    private void TrackSinceMerge(ClusterMessage message)
    {
        if (_lineage is null)
        {
            return;
        }

        _sinceMerge.Add(message);
        if (_sinceMerge.Count > MaxSinceMerge)
        {
            StartTracking(null, []); // long settled: a snapshot this late is not the merge's
        }
    }

    /// <summary>The state as it was at <paramref name="version"/>, if still kept (for digest comparison).</summary>
    public ClusterState? StateAt(long version) => _recent.FirstOrDefault(s => s.Version == version);

    /// <summary>
    /// Whether a side of a partition could have had quorum, computed the same way on every node of that side:
    /// a strict majority of the configured nodes. In a two-node cluster one node keeps quorum once the cluster has
    /// formed, but a node that booted alone is not quorate (wait_for_all) and never settles: only a settled side counts.
    /// </summary>
    internal static bool SideQuorate(ClusterConfig config, int sideSize, bool settled) =>
        config.Nodes.Length == 2 ? settled : sideSize * 2 > config.Nodes.Length;

    private DeliveryResult DeliverMembership(MembershipChanged m, DateTimeOffset now)
    {
        var members = m.Members.ToImmutableSortedSet();
        var old = members.Except(m.Joined);
        _members = members;
        if (m.Joined.Contains(LocalId) || Phase == ReplicaPhase.Joining)
        {
            return old.IsEmpty
                ? Bootstrap(members, now, "formed a new cluster")
                : AwaitSnapshot(now, $"joined a running cluster; waiting for a state snapshot from {string.Join(", ", old)}");
        }

        if (Phase == ReplicaPhase.AwaitingSnapshot)
        {
            _buffer.Add(m);
            if (!m.Joined.IsEmpty)
            {
                // Who joined has not seen the earlier announcements: every waiting member counts again from here.
                _stateless = [];
                return new DeliveryResult([], [AskForState("still waiting for a state snapshot", now)], []);
            }

            _stateless = _stateless.Intersect(members);
            return BootstrapIfNobodyHoldsState(now);
        }

        // Corosync's ring counts the nodes whose palisaded is down too; before the first ring is known, the members do.
        if (!m.Joined.IsEmpty && !SideQuorate(_config, Math.Max(_totem, State!.Members.Count), State.Settled))
        {
            // Nothing can have been decided on a side without quorum: the other side's state wins, or, if no side
            // had quorum, everyone starts again from the configuration.
            return AwaitSnapshot(now, "merged with other nodes after being in a partition without quorum: dropping local state");
        }

        var previousSender = State is { Synced.IsEmpty: false } before ? before.Synced.Min : (uint?)null;
        var result = ApplyOne(m, now);
        if (!m.Joined.IsEmpty)
        {
            StartTracking(State is { Synced.IsEmpty: false } after ? after.Synced.Min : null, []);
        }
        else
        {
            TrackSinceMerge(m);
        }

        if (State is null || State.Synced.IsEmpty || State.Synced.Min != LocalId)
        {
            return result;
        }

        var snapshots = ImmutableArray.CreateBuilder<NodeMessage>();
        if (!m.Joined.IsEmpty)
        {
            snapshots.Add(Snapshot(m.Joined, State, now));
        }

        if (previousSender is { } sender && sender != LocalId && !State.Members.Contains(sender))
        {
            // The sender left: what it had not sent yet is lost with it (CPG delivers a departed member's messages
            // before its leave or never), so send again to whoever still waits, from where each joined.
            foreach (var waiting in _joinStates.Where(j => !m.Joined.Contains(j.Key)).GroupBy(j => j.Value.Version))
            {
                var state = waiting.First().Value;
                snapshots.Add(Snapshot([.. waiting.Select(j => j.Key).Order()], state, now));
            }
        }

        return result with { ToSend = result.ToSend.AddRange(snapshots) };
    }

    private DeliveryResult AwaitSnapshot(DateTimeOffset now, string why)
    {
        Phase = ReplicaPhase.AwaitingSnapshot;
        Replace(null);
        _buffer.Clear();
        // Only announcements delivered in the stream count (this node's own too), so every waiting member decides
        // to start from the configuration at the same message.
        _stateless = [];
        var announce = AskForState(why, now);
        return new DeliveryResult([why], [announce], []);
    }

    private DeliveryResult BootstrapIfNobodyHoldsState(DateTimeOffset now)
    {
        if (!_members.IsSubsetOf(_stateless))
        {
            return DeliveryResult.None;
        }

        // An operator's request delivered in this view while nobody held the state is not lost with it: every member
        // buffered the same requests since the view's last change, and applies them after starting from the configuration.
        var since = _buffer.FindLastIndex(b => b is MembershipChanged);
        var requests = _buffer.Skip(since + 1).OfType<AdminRequest>().ToList();
        var result = Bootstrap(_members, now, $"no member holds the cluster state ({string.Join(", ", _members)} all said so)");
        foreach (var request in requests)
        {
            var applied = ApplyOne(request, now);
            result = result with { Notes = result.Notes.AddRange(applied.Notes), Effects = result.Effects.AddRange(applied.Effects), ToSend = result.ToSend.AddRange(applied.ToSend) };
        }

        return result;
    }

    private DeliveryResult Bootstrap(ImmutableSortedSet<uint> members, DateTimeOffset now, string why)
    {
        Phase = ReplicaPhase.Synced;
        Replace(ClusterState.Initial(_config));
        _buffer.Clear();
        _stateless = [];
        var result = ApplyOne(new MembershipChanged([.. members], [], [.. members]), now);
        return result with { Notes = result.Notes.Insert(0, $"{why}: state initialised from the configuration") };
    }

    private DeliveryResult AdoptSnapshot(StateSnapshot s, DateTimeOffset now)
    {
        Phase = ReplicaPhase.Synced;
        Replace(s.State);
        // The snapshot is the sender's state right after the membership change that brought this node into its view.
        // What this node kept up to that change (the same change seen from this side, and anything delivered before
        // it in a ring the sender was not in) is already in the snapshot or was never in the sender's stream.
        var senderId = _config.FindNode(s.From)?.Id;
        var cut = senderId is { } id ? _buffer.FindLastIndex(b => b is MembershipChanged c && c.Joined.Contains(id)) : -1;
        var replayed = _buffer.Skip(cut + 1).ToList();
        _buffer.Clear();
        var notes = ImmutableArray.CreateBuilder<string>();
        notes.Add($"received state snapshot from {s.From} at version {s.State.Version}; replaying {replayed.Count} message(s)");
        var effects = ImmutableArray.CreateBuilder<LocalEffect>();
        foreach (var buffered in replayed)
        {
            var r = ApplyOne(buffered, now);
            notes.AddRange(r.Notes);
            effects.AddRange(r.Effects);
        }

        var last = ApplyOne(s, now);
        notes.AddRange(last.Notes);
        StartTracking(_config.FindNode(s.From)?.Id, replayed.Append(s));
        return new DeliveryResult(notes.ToImmutable(), [], effects.ToImmutable());
    }

    private DeliveryResult ApplyOne(ClusterMessage message, DateTimeOffset now)
    {
        var before = State!;
        var transition = StateMachine.Apply(_config, before, message);
        State = transition.State;
        _recent.Enqueue(State);
        while (_recent.Count > KeptStates)
        {
            _recent.Dequeue();
        }

        if (message is MembershipChanged or StateSnapshot)
        {
            TrackJoiners(message);
        }

        return new DeliveryResult(transition.Notes, [], EffectsOf(message, before, State));
    }

    /// <summary>Takes a state from elsewhere (or drops it): states kept from before belong to another history.</summary>
    private void Replace(ClusterState? state)
    {
        State = state;
        _recent.Clear();
        _joinStates.Clear();
        _snapshotSentAt.Clear();
        _lineage = null;
        _sinceMerge.Clear();
    }

    private void TrackJoiners(ClusterMessage message)
    {
        if (message is MembershipChanged m)
        {
            foreach (var id in m.Joined)
            {
                _joinStates[id] = State!;
            }
        }

        foreach (var id in _joinStates.Keys.Where(id => !State!.Members.Contains(id) || State.Synced.Contains(id)).ToList())
        {
            _joinStates.Remove(id);
            _snapshotSentAt.Remove(id);
        }
    }

    private ImmutableArray<LocalEffect> EffectsOf(ClusterMessage message, ClusterState before, ClusterState after)
    {
        return message switch
        {
            GroupStartOrdered m when m.Node == LocalNode && Changed(before, after, m.Group) =>
                [new StartGroupEffect(m.Group, m.Reason)],
            GroupStopOrdered m when m.Node == LocalNode && Changed(before, after, m.Group) =>
                [new StopGroupEffect(m.Group, m.Reason)],
            FenceStarted f when (f.Executor ?? f.From) == LocalNode && after.Nodes[f.Target].FencingBy == LocalNode =>
                [new FenceEffect(f.Target, f.Reason, f.PowerOnAfter, f.DumpFirst)],
            ProbeReport p when p.From == LocalNode => [.. ProbeEffects(p, before, after), .. MustStopEffects(before, after)],
            RecoveryOrdered r when r.Node == LocalNode && before.Monitors.GetValueOrDefault(r.Monitor)?.On(r.Node).Handled != after.Monitors.GetValueOrDefault(r.Monitor)?.On(r.Node).Handled =>
                [.. RecoveryCommands(r), .. StoppedByRecovery(before, after)],
            _ => [],
        };
    }

    /// <summary>Groups of this node a recovery stopped at once (after its pre-action, which runs first).</summary>
    private IEnumerable<LocalEffect> StoppedByRecovery(ClusterState before, ClusterState after) =>
        after.Groups.Values
            .Where(g => g.Node == LocalNode && g.State == GroupState.Stopping && before.Groups.GetValueOrDefault(g.Name) is { State: GroupState.Online })
            .Select(g => new StopGroupEffect(g.Name, g.Reason));

    private static ImmutableArray<LocalEffect> PreAction(RecoveryConfig recovery, RecoveryOrdered r, string action) =>
        recovery.PreAction is { } pre && pre.Before.Contains(action) ? [new RecoveryCommandEffect(r.Monitor, r.Group, $"pre-{action}", pre.Script, pre.Timeout)] : [];

    /// <summary>The recovery script of a script rung, or the pre-action configured before this rung.</summary>
    private ImmutableArray<LocalEffect> RecoveryCommands(RecoveryOrdered r)
    {
        if (Planning.Recovery.ConfigOf(_config, r.Monitor) is not { } recovery)
        {
            return [];
        }

        var action = r.Rung.ToString().ToLowerInvariant();
        return r.Rung switch
        {
            RecoveryRung.Final when recovery.FinalAction is FinalAction.StopClusterService or FinalAction.StopClusterServiceAndShutdown or FinalAction.StopClusterServiceAndReboot =>
                [.. PreAction(recovery, r, action), new LeaveClusterEffect($"final action {Planning.Recovery.FinalActionName(recovery.FinalAction)} of monitor {r.Monitor}: {r.Reason}",
                    !_config.NodeActions.System ? null
                    : recovery.FinalAction == FinalAction.StopClusterServiceAndShutdown ? _config.NodeActions.PowerOff
                    : recovery.FinalAction == FinalAction.StopClusterServiceAndReboot ? _config.NodeActions.Reboot
                    : null)],
            RecoveryRung.Final when recovery.FinalAction == FinalAction.Panic && _config.NodeActions.System =>
                [.. PreAction(recovery, r, action), new NodeCommandEffect("panic", _config.NodeActions.Panic, $"final action panic of monitor {r.Monitor}: {r.Reason}")],
            RecoveryRung.Script when recovery.Script is { } script => [new RecoveryCommandEffect(r.Monitor, r.Group, action, script, recovery.ScriptTimeout)],
            RecoveryRung.Final when recovery.FinalAction == FinalAction.StopResource && Planning.Recovery.ActedOnResource(_config, r.Monitor, recovery) is { } stopped =>
                [.. PreAction(recovery, r, action), new StopResourceEffect(r.Group, stopped, $"final action stop_resource of monitor {r.Monitor}: {r.Reason}")],
            RecoveryRung.Restart when recovery.Scope == RecoveryScope.Resource && recovery.Resource is { } resource =>
                [.. PreAction(recovery, r, action), new RestartResourceEffect(r.Group, resource, $"monitor {r.Monitor}: {r.Reason}")],
            RecoveryRung.Restart or RecoveryRung.Failover or RecoveryRung.Final when recovery.PreAction is { } pre && pre.Before.Contains(action) =>
                [new RecoveryCommandEffect(r.Monitor, r.Group, $"pre-{action}", pre.Script, pre.Timeout)],
            _ => [],
        };
    }

    /// <summary>
    /// Groups this node's probe placed here or could not tell about: adopted ones are watched, uncertain ones stopped, and
    /// a stop that died with an earlier palisaded here is run again. A group the state
    /// already shows Online here and the probe found running is watched too: the palisaded that started it may have
    /// been another process, and nobody else watches it.
    /// </summary>
    private ImmutableArray<LocalEffect> ProbeEffects(ProbeReport p, ClusterState before, ClusterState after) =>
    [
        .. after.Groups.Values
            .Where(g => g.Node == LocalNode && before.Groups.TryGetValue(g.Name, out var b)
                && (b.State == GroupState.Offline
                    || (b.State is GroupState.Online or GroupState.Starting && b.Node == LocalNode && g.State == GroupState.Stopping)
                    || (b.State == GroupState.Stopping && b.Node == LocalNode && g.State == GroupState.Stopping && g.Since != b.Since)
                    || (b.State == GroupState.Online && b.Node == LocalNode && g.State == GroupState.Online && p.Running.Contains(g.Name))))
            .Select(g => g.State switch
            {
                GroupState.Online => (LocalEffect?)new AdoptGroupEffect(g.Name),
                GroupState.Stopping => new StopGroupEffect(g.Name, g.Reason),
                _ => null,
            })
            .OfType<LocalEffect>(),
    ];

    /// <summary>Groups placed elsewhere that this node's probe could not tell about: stopped here.</summary>
    private IEnumerable<LocalEffect> MustStopEffects(ClusterState before, ClusterState after) =>
        after.Nodes.TryGetValue(LocalNode, out var me)
            ? me.MustStop.Except(before.Nodes.TryGetValue(LocalNode, out var was) ? was.MustStop : [])
                .Select(g => new StopGroupEffect(g, $"the probe could not tell whether {g} runs here too; it runs on {after.Groups[g].Node}"))
            : [];

    private static bool Changed(ClusterState before, ClusterState after, string group) =>
        before.Groups.TryGetValue(group, out var b) && after.Groups.TryGetValue(group, out var a) && a != b;
}
