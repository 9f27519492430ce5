using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.Replication;
using Palisade.Core.State;

namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// One simulated node: its corosync (up or not, which partition), and its palisaded, which mirrors ClusterHost:
/// deliver to the replica, send what it says, run its effects, plan after every delivery and every tick with a
/// pending-key set, send digests, stop everything on quorum loss.
/// </summary>
internal sealed partial class SimNode
{
    private readonly SimCluster _sim;
    private readonly Dictionary<string, DateTimeOffset> _pending = [];
    private DateTimeOffset? _settleDeadline;
    private DateTimeOffset _nextDigest;

    public SimNode(SimCluster sim, NodeConfig config)
    {
        _sim = sim;
        Name = config.Name;
        Id = config.Id;
    }

    public string Name { get; }

    public uint Id { get; }

    public bool CorosyncUp { get; internal set; }

    public bool DaemonUp { get; private set; }

    /// <summary>The daemon is stopping its groups before leaving; its loop no longer takes corosync events.</summary>
    public bool ShuttingDown { get; private set; }

    /// <summary>Partition the node's corosync is in; nodes in the same segment see each other.</summary>
    public int Segment { get; internal set; }

    /// <summary>Bumped at every daemon start and death so that work of a dead daemon is dropped.</summary>
    public int Incarnation { get; private set; }

    public Replica? Replica { get; private set; }

    public ClusterState? State => Replica?.State;

    public bool Synced => DaemonUp && Replica?.Phase == ReplicaPhase.Synced;

    /// <summary>CPG members as corosync last reported them to this daemon (set when the change is queued).</summary>
    public ImmutableSortedSet<uint> View { get; internal set; } = [];

    /// <summary>The daemon's quorum flag (ClusterHost._quorate).</summary>
    public bool Quorate { get; private set; }

    public ImmutableArray<string> Waiting { get; private set; } = [];

    internal SimGroupRunner? Runner { get; private set; }

    /// <summary>The replica's state was formed from the configuration and has not been replaced since.</summary>
    internal bool HoldsFreshState { get; private set; }

    /// <summary>Set for the one topology change in which this daemon exits after a clean shutdown.</summary>
    internal bool CleanExit { get; set; }

    internal void StartDaemon()
    {
        DaemonUp = true;
        ShuttingDown = false;
        Incarnation++;
        Replica = new Replica(_sim.Config, Name);
        Runner = new SimGroupRunner(_sim, this);
        _pending.Clear();
        _history.Clear();
        HoldsFreshState = false;
        _settleDeadline = null;
        _nextDigest = _sim.Now + _sim.Options.DigestInterval;
        Quorate = _sim.HasQuorum(this);
        View = [];
        Waiting = [];
    }

    internal void StopDaemon()
    {
        DaemonUp = false;
        ShuttingDown = false;
        Incarnation++;
        Replica = null;
        Runner = null;
        Quorate = false;
        View = [];
    }

    public void Send(NodeMessage message) =>
        _sim.Send(this, message with { From = Name, At = _sim.Now });

    internal void SetQuorate(bool quorate)
    {
        if (!DaemonUp || quorate == Quorate)
        {
            return;
        }

        Quorate = quorate;
        _sim.Trace(Name, quorate ? "quorum gained" : "quorum LOST: stopping every local group");
        if (quorate && HoldsFreshState)
        {
            _sim.FreshStateCanAct(this);
        }

        if (!quorate)
        {
            Runner!.StopAll("this node lost quorum", report: true);
        }

        Plan();
    }

    internal void Deliver(ClusterMessage message, uint? senderId = null)
    {
        if (message is NodeMessage { From: var from } && from == Name)
        {
            _pending.Remove(Coordinator.KeyOf(message) ?? "");
        }

        if (message is StateDigest digest)
        {
            CheckDigest(digest);
        }

        var before = Replica!.State;
        var phaseBefore = Replica.Phase;
        var result = senderId is { } id ? Replica.DeliverFrom(id, message, _sim.Now) : Replica.Deliver(message, _sim.Now);
        // Formed from the configuration: synced just now at version 1 (configuration plus this membership change);
        // an adopted snapshot always ends higher, having applied the snapshot message on top.
        if (phaseBefore != ReplicaPhase.Synced && Replica.Phase == ReplicaPhase.Synced && Replica.State!.Version == 1)
        {
            HoldsFreshState = true;
            if (Quorate)
            {
                _sim.FreshStateCanAct(this);
            }
        }
        else if (Replica.Phase != phaseBefore || result.AdoptedState)
        {
            HoldsFreshState = false; // took a snapshot or dropped its state
        }

        Observe(message, before, phaseBefore);
        if (Replica.Phase == ReplicaPhase.Synced && Replica.State is { } held)
        {
            KeepIntents(held);
        }
        foreach (var note in result.Notes)
        {
            _sim.Trace(Name, note);
        }

        foreach (var send in result.ToSend)
        {
            _sim.Send(this, send);
        }

        foreach (var effect in result.Effects)
        {
            Execute(effect);
        }

        if ((phaseBefore != ReplicaPhase.Synced && Replica.Phase == ReplicaPhase.Synced) || result.AdoptedState)
        {
            // As the daemon does: say what really runs here (its resource monitors tell the truth).
            SendProbe();
        }

        Plan();
    }

    private DateTimeOffset _probeSentAt;

    /// <summary>As the daemon does: say what really runs here (its resource monitors tell the truth).</summary>
    private void SendProbe()
    {
        _probeSentAt = _sim.Now;
        Send(new ProbeReport([.. _sim.Config.Groups.Select(g => g.Name).Where(g => _sim.World.NodesRunning(g).Contains(Name))], $"{Name}/{Incarnation}", Disk));
    }

    internal void Tick()
    {
        var now = _sim.Now;
        if (Synced && !ShuttingDown && State is { } held && held.IsMember(Name) && !held.Nodes[Name].Probed && now - _probeSentAt > ReportRetry.Interval)
        {
            SendProbe(); // the daemon probes again while the state says it has not reported
        }

        foreach (var expired in _pending.Where(p => now - p.Value > _sim.Options.PendingExpiry).Select(p => p.Key).ToList())
        {
            _pending.Remove(expired);
        }

        if (now >= _nextDigest && Replica?.State is { } state)
        {
            _nextDigest = now + _sim.Options.DigestInterval;
            Send(new StateDigest(state.Version, StateHasher.Hash(state)));
        }

        Plan();
    }

    /// <summary>What palisaded does on SIGTERM: announce, stop every group, then leave once the stops are done.</summary>
    internal void BeginShutdown()
    {
        Send(new NodeLeaving("palisaded is shutting down"));
        ShuttingDown = true;
        Runner!.StopAll("palisaded is shutting down", report: true);
        RunnerIdle();
    }

    internal void RunnerIdle()
    {
        if (ShuttingDown && Runner!.Idle)
        {
            _sim.FinishShutdown(this);
        }
    }

    private void Plan()
    {
        if (!DaemonUp || ShuttingDown || Replica!.Phase != ReplicaPhase.Synced || Replica.State is not { } state)
        {
            return;
        }

        var now = _sim.Now;
        if (!state.Settled && state.Coordinator?.Name == Name)
        {
            _settleDeadline ??= now + _sim.Options.JoinWindow;
        }

        var plan = Coordinator.Decide(_sim.Config, state, new PlanContext(Name, Quorate, now, _settleDeadline ?? now + _sim.Options.JoinWindow));
        foreach (var decision in plan.Decisions)
        {
            if (_pending.ContainsKey(decision.Key))
            {
                continue;
            }

            _pending[decision.Key] = now;
            _sim.Trace(Name, $"decides: {BusRecord.Describe(decision.Message)}: {ReasonOf(decision.Message)}");
            _sim.Send(this, decision.Message);
        }

        Waiting = plan.Waiting;
    }

    /// <summary>What the daemon's intent store keeps on this node's disk; survives daemon restarts and power loss.</summary>
    public ImmutableArray<GroupIntent> Disk { get; private set; } = [];

    private void KeepIntents(ClusterState state) => Disk = GroupIntent.Merge(Disk, GroupIntent.Of(state));

    private static string ReasonOf(NodeMessage m) => m switch
    {
        FenceStarted f => f.Reason,
        GroupStartOrdered s => s.Reason,
        GroupStopOrdered s => s.Reason,
        GroupGaveUp g => g.Reason,
        ClusterSettled s => s.Reason,
        _ => "",
    };

    private void Execute(LocalEffect effect)
    {
        switch (effect)
        {
            case StartGroupEffect s:
                Runner!.Start(s.Group);
                break;
            case StopGroupEffect s:
                Runner!.Stop(s.Group, s.Reason, report: true);
                break;
            case FenceEffect f:
                Fence(f.Target);
                break;
        }
    }

    /// <summary>Mirrors FenceRunner: refuses without quorum (checked live), else reports the configured outcome.</summary>
    private void Fence(string target)
    {
        if (!_sim.HasQuorum(this))
        {
            Send(new FenceCompleted(target, false, "none", "the fencing node lost quorum"));
            return;
        }

        _sim.Schedule(this, _sim.Options.FenceDuration, $"fence {target}", () =>
        {
            if (_sim.Faults.TakeFence(target))
            {
                Send(new FenceCompleted(target, true, "sim-bmc", "sim-bmc confirmed power off"));
                _sim.PowerOff(target);
            }
            else
            {
                Send(new FenceCompleted(target, false, "sim-bmc", "sim-bmc: BMC did not answer (simulated)"));
            }
        });
    }

    private void CheckDigest(StateDigest digest)
    {
        if (!_sim.Options.CheckAgreement || digest.From == Name || Replica!.StateAt(digest.Version) is not { } ours)
        {
            return;
        }

        var hash = StateHasher.Hash(ours);
        if (hash != digest.Hash)
        {
            _sim.Violation($"{Name}: digest from {digest.From} at v{digest.Version} is {digest.Hash}, ours is {hash}");
        }
    }
}
