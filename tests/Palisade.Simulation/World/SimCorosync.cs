using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Corosync;

namespace Palisade.Simulation.World;

/// <summary>
/// corosync as palisaded sees it. Totem rings form from the nodes whose corosync runs and can reach each other, a
/// moment after the network changed (failure detection takes the token timeout); CPG delivers every message in one
/// agreed order to the members of the sender's view (virtual synchrony: a message sent before a membership change
/// reaches the members before the change); votequorum counts votes per ring (weights, expected votes, wait_for_all,
/// two_node, auto_tie_breaker as the configuration generator writes them).
/// </summary>
internal sealed class SimCorosync
{
    private static readonly TimeSpan CpgChangeDelay = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MergeDelay = TimeSpan.FromMilliseconds(1400);
    private static readonly TimeSpan TryAgainBudget = TimeSpan.FromSeconds(10);
    private readonly SimWorld _world;
    private readonly Queue<BusEntry> _bus = new();
    private readonly List<SimLink> _links = [];
    private readonly int _expectedVotes;
    private readonly ImmutableArray<uint> _tieBreakers;
    private Runtime.TimedEvent? _busPump;
    private Runtime.TimedEvent? _totemRound;
    private Runtime.TimedEvent? _cpgRound;
    private DateTimeOffset _lastDue;
    private bool _frozen;
    private ulong _ringSeq;
    private long _seq;

    public SimCorosync(SimWorld world)
    {
        _world = world;
        _expectedVotes = world.Nodes.Sum(Votes);
        _tieBreakers = [.. world.Config.Nodes.OrderBy(n => n.Name, StringComparer.Ordinal).Select(n => n.Id)];
        DetectDelay = TimeSpan.FromMilliseconds(2200 + Math.Max(0, world.Nodes.Count - 2) * 1300);
    }

    /// <summary>How long survivors take to notice a node or link is gone (token timeout and consensus).</summary>
    public TimeSpan DetectDelay { get; }

    private ClusterConfig Config => _world.Config;

    private bool WaitForAll => Config.TwoNode || Config.Totem.WaitForAll;

    private int Votes(SimNode n) => Config.TwoNode ? 1 : n.Config.Weight;

    /// <summary>palisaded starts: it joins the CPG group; corosync tells it the ring and quorum at once.</summary>
    public SimLink Open(SimNode node, int incarnation)
    {
        var link = new SimLink(this, node, incarnation);
        _links.Add(link);
        Notice(link, new TotemMembershipChanged(_ringSeq, [.. node.Ring!]));
        Notice(link, new QuorumChanged(node.Quorate, [.. node.Ring!]));
        CpgChanged();
        return link;
    }

    /// <summary>A process joined or left the CPG group: members are told within milliseconds.</summary>
    public void CpgChanged() => _cpgRound ??= _world.Scheduler.After(CpgChangeDelay, CpgRound);

    /// <summary>The network or a corosync changed: totem forms new rings once the change is detected.</summary>
    public void NetworkChanged(bool merge)
    {
        // Something failed: the token is lost and the ring delivers nothing until the new membership forms.
        _frozen |= !merge;
        var due = _world.Scheduler.Now + (merge ? MergeDelay : DetectDelay);
        if (_totemRound is { } pending && pending.Due >= due)
        {
            return;
        }

        _totemRound?.Cancel();
        _totemRound = _world.Scheduler.At(due, TotemRound);
    }

    /// <summary>corosync starts on a powered node: alone in a ring of its own until the others are found.</summary>
    public void Start(SimNode node)
    {
        node.CorosyncAlive = true;
        node.CorosyncRuns++;
        node.Ring = [node.Id];
        node.LastQuorateRing = null;
        node.WaitForAllCleared = !WaitForAll;
        node.Quorate = ComputeQuorate(node, null, new Dictionary<uint, bool>());
        node.LastQuorateRing = node.Quorate ? node.Ring : null;
        NetworkChanged(merge: true);
    }

    /// <summary>corosync dies (or the node loses power): its palisaded hears so at once, the others after the detection delay.</summary>
    public void Stop(SimNode node, string reason)
    {
        node.CorosyncAlive = false;
        node.Ring = null;
        node.Quorate = false;
        foreach (var link in _links.Where(l => l.Node == node && l.State == LinkState.Open))
        {
            link.Lose(reason);
            link.State = LinkState.Dead;
        }

        NetworkChanged(merge: false);
        CpgChanged();
    }

    public void Send(SimLink link, ReadOnlySpan<byte> payload)
    {
        _world.CheckOnSimulatorThread(link);
        var node = link.Node;
        if (link.State != LinkState.Open || !node.CorosyncAlive)
        {
            throw new CorosyncException("cpg_mcast_joined failed: CS_ERR_LIBRARY", 2);
        }

        var now = _world.Scheduler.Now;
        var notBefore = now;
        if (node.SendBusyUntil > now)
        {
            // The real link retries CS_ERR_TRY_AGAIN for its budget: a short busy spell only delays the message.
            if (node.SendBusyUntil - now > TryAgainBudget)
            {
                throw new CorosyncException($"cpg_mcast_joined failed: CS_ERR_TRY_AGAIN (still busy after {TryAgainBudget.TotalSeconds:0} s)", 6);
            }

            notBefore = node.SendBusyUntil;
        }

        var recipients = link.View is null ? [link] : link.ViewLinks.Where(l => l.State == LinkState.Open).ToImmutableArray();
        var message = new CpgMessage(node.Id, (uint)link.Incarnation, payload.ToArray());
        Enqueue(new BusEntry(link, message, recipients) { SenderRun = node.CorosyncRuns }, notBefore);
    }

    public QuorumReading QueryQuorate(SimLink link)
    {
        var node = link.Node;
        if (link.State != LinkState.Open || !node.CorosyncAlive)
        {
            throw new CorosyncException("quorum_getquorate failed: CS_ERR_LIBRARY", 2);
        }

        if (node.QuorumBusyUntil > _world.Scheduler.Now)
        {
            return QuorumReading.Unknown; // CS_ERR_TRY_AGAIN
        }

        return node.Quorate ? QuorumReading.Quorate : QuorumReading.NotQuorate;
    }

    /// <summary>Nothing queued and no membership change pending.</summary>
    public bool Quiet => _bus.Count == 0 && _totemRound is null && _cpgRound is null;

    private void Notice(SimLink link, CorosyncEvent e) => Enqueue(new BusEntry(null, e, [link]), _world.Scheduler.Now);

    private void Enqueue(BusEntry entry, DateTimeOffset notBefore)
    {
        var due = notBefore + TimeSpan.FromTicks(_world.Random.Next(1_000, 30_000)); // 0.1 to 3 ms on the wire
        _lastDue = due > _lastDue ? due : _lastDue;
        entry.Due = _lastDue;
        entry.Seq = ++_seq;
        _bus.Enqueue(entry);
        _busPump ??= _world.Scheduler.At(_bus.Peek().Due, Pump);
    }

    private void Pump()
    {
        _busPump = null;
        if (_frozen)
        {
            return; // the totem round delivers what waits
        }

        var now = _world.Scheduler.Now;
        while (_bus.TryPeek(out var entry) && entry.Due <= now)
        {
            _bus.Dequeue();
            Deliver(entry);
        }

        if (_bus.TryPeek(out var next))
        {
            _busPump = _world.Scheduler.At(next.Due, Pump);
        }
    }

    private void Deliver(BusEntry entry)
    {
        var sender = entry.Sender?.Node;
        var delivered = new List<SimLink>(entry.Recipients.Length);
        foreach (var r in entry.Recipients)
        {
            if (r.State != LinkState.Open || !r.Node.CorosyncAlive)
            {
                continue;
            }

            // Nothing is delivered while a failure goes unnoticed (the ring is frozen); what waits then reaches the
            // members on the sender's side only, before the membership change, so each side's members deliver the
            // same messages (virtual synchrony). A sender whose corosync died takes its undelivered messages with it.
            if (sender is not null && (!sender.CorosyncAlive || entry.SenderRun != sender.CorosyncRuns || sender.Side != r.Node.Side))
            {
                continue;
            }

            r.Deliver(entry.Event);
            delivered.Add(r);
        }

        if (entry.Event is CpgMessage m && delivered.Count > 0)
        {
            _world.OnDelivered(entry.Sender!, m, delivered);
        }
    }

    private void TotemRound()
    {
        _totemRound = null;
        _frozen = false;
        var wasQuorate = _world.Nodes.ToDictionary(n => n.Id, n => n.Quorate);
        var before = _world.Nodes.ToDictionary(n => n.Id, n => n.Ring);
        var moved = ReformRings();
        var gained = RecomputeQuorum(before, wasQuorate);

        // As corosync's CPG does at sync activation: the group's leaves and joins first, then the totem membership.
        CpgRound();
        foreach (var n in moved)
        {
            NoticeAll(n, new TotemMembershipChanged(_ringSeq, [.. n.Ring!]));
        }

        foreach (var n in gained)
        {
            NoticeAll(n, new QuorumChanged(true, [.. n.Ring!]));
        }

        if (_bus.TryPeek(out var waiting))
        {
            _busPump ??= _world.Scheduler.At(waiting.Due, Pump);
        }
    }

    /// <summary>Each side's running corosyncs form one ring; returns the nodes whose ring changed.</summary>
    private List<SimNode> ReformRings()
    {
        var moved = new List<SimNode>();
        foreach (var side in _world.Nodes.Where(n => n.CorosyncAlive).GroupBy(n => n.Side))
        {
            var ring = side.Select(n => n.Id).ToImmutableSortedSet();
            if (side.Any(n => !n.Ring!.SetEquals(ring)))
            {
                _ringSeq += 4;
            }

            foreach (var n in side)
            {
                if (!n.Ring!.SetEquals(ring))
                {
                    moved.Add(n);
                }

                n.Ring = ring; // one shared instance per ring
            }
        }

        return moved;
    }

    /// <summary>votequorum after the rings changed: losses are heard at once, gains are returned to be queued.</summary>
    private List<SimNode> RecomputeQuorum(Dictionary<uint, ImmutableSortedSet<uint>?> before, Dictionary<uint, bool> wasQuorate)
    {
        var gained = new List<SimNode>();
        foreach (var n in _world.Nodes.Where(n => n.CorosyncAlive))
        {
            var quorate = ComputeQuorate(n, before[n.Id], wasQuorate);
            if (quorate)
            {
                n.LastQuorateRing = n.Ring;
            }

            if (quorate == n.Quorate)
            {
                continue;
            }

            n.Quorate = quorate;
            _world.Note(n.Name, quorate ? "corosync: quorate" : "corosync: quorum lost");
            if (quorate)
            {
                gained.Add(n);
                continue;
            }

            // votequorum acts before CPG: the loss is heard ahead of anything still queued.
            foreach (var link in _links.Where(l => l.Node == n && l.State == LinkState.Open))
            {
                link.Deliver(new QuorumChanged(false, [.. n.Ring!]));
            }
        }

        return gained;
    }

    private void NoticeAll(SimNode node, CorosyncEvent e)
    {
        foreach (var link in _links.Where(l => l.Node == node && l.State == LinkState.Open))
        {
            Notice(link, e);
        }
    }

    private bool ComputeQuorate(SimNode n, ImmutableSortedSet<uint>? previousRing, Dictionary<uint, bool> wasQuorate)
    {
        if (!n.CorosyncAlive || n.Ring is not { } ring)
        {
            return false;
        }

        if (!n.WaitForAllCleared)
        {
            var joinedQuorate = ring.Any(id => id != n.Id && _world.ById(id).WaitForAllCleared && wasQuorate.GetValueOrDefault(id));
            if (ring.Count < _world.Nodes.Count && !joinedQuorate)
            {
                return false;
            }

            n.WaitForAllCleared = true;
        }

        var votes = ring.Sum(id => Votes(_world.ById(id)));
        if (Config.TwoNode)
        {
            return votes >= 1;
        }

        if (votes >= _expectedVotes / 2 + 1)
        {
            return true;
        }

        // auto_tie_breaker: an exact half keeps quorum if it holds the lowest node of the membership it was last
        // quorate in (votequorum refreshes that node only while quorate), so two halves never both keep it.
        if (votes * 2 == _expectedVotes)
        {
            var present = n.LastQuorateRing ?? previousRing ?? ring;
            var breaker = _tieBreakers.FirstOrDefault(present.Contains);
            return breaker != 0 && ring.Contains(breaker);
        }

        return false;
    }

    private void CpgRound()
    {
        _cpgRound = null;
        var open = _links.Where(l => l.State == LinkState.Open && l.Node.CorosyncAlive).OrderBy(l => l.Node.Id).ToList();
        var views = open.ToDictionary(l => l, l => open.Where(o => o.Node.Ring == l.Node.Ring).ToList());
        var previous = _links.ToDictionary(l => l, l => l.View is null ? [] : LinksOf(l));
        foreach (var link in open)
        {
            var members = views[link];
            var old = previous[link];
            var isNew = link.View is null;
            if (!isNew && members.SequenceEqual(old))
            {
                continue;
            }

            var left = old.Except(members).Select(m => new CpgMember(m.Node.Id, (uint)m.Incarnation, LeaveReason(m, link))).ToList();
            var joined = members.Except(old).Where(m => !isNew || m.View is null)
                .Select(m => new CpgMember(m.Node.Id, (uint)m.Incarnation, m.View is null ? CpgReason.Join : CpgReason.NodeUp)).ToList();
            link.ViewLinks = members;
            if (left.Count > 0 && joined.Count > 0)
            {
                // CPG reports the down list and the join list as two callbacks.
                var remaining = old.Where(members.Contains).ToList();
                Notice(link, new CpgMembershipChanged(Members(remaining), left, []));
                left = [];
            }

            Notice(link, new CpgMembershipChanged(Members(members), left, joined));
        }

        foreach (var link in open)
        {
            link.View = [.. link.ViewLinks.Select(m => m.Node.Id)];
        }

        _links.RemoveAll(l => l.State != LinkState.Open);
    }

    private static List<SimLink> LinksOf(SimLink l) => l.ViewLinks;

    private static List<CpgMember> Members(IEnumerable<SimLink> links) => [.. links.Select(m => new CpgMember(m.Node.Id, (uint)m.Incarnation, 0))];

    private static CpgReason LeaveReason(SimLink gone, SimLink observer) =>
        gone.State == LinkState.Left ? CpgReason.Leave
        : gone.State == LinkState.Open && gone.Node.CorosyncAlive ? CpgReason.NodeDown // same process, other ring
        : gone.Node.CorosyncAlive && gone.Node.Ring == observer.Node.Ring ? CpgReason.ProcDown
        : CpgReason.NodeDown;

    private sealed class BusEntry(SimLink? sender, CorosyncEvent e, ImmutableArray<SimLink> recipients)
    {
        public SimLink? Sender { get; } = sender;

        public CorosyncEvent Event { get; } = e;

        public ImmutableArray<SimLink> Recipients { get; } = recipients;

        public DateTimeOffset Due { get; set; }

        public long Seq { get; set; }

        /// <summary>Which run of the sender's corosync took the message: one that has died since took it with it.</summary>
        public int SenderRun { get; init; }
    }
}
