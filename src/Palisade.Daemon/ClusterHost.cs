using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Corosync;

namespace Palisade.Daemon;

/// <summary>
/// The imperative shell around the pure core: one loop takes corosync events, timer ticks and operator requests in
/// turn, feeds ordered messages to the <see cref="Replica"/>, runs the local work they imply, and, on the coordinator,
/// sends the <see cref="Coordinator"/>'s decisions.
/// </summary>
internal sealed partial class ClusterHost : IClusterSender
{
    public static readonly TimeSpan JoinWindow = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan NodeCommandTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The command a final action asked to run once this palisaded has stopped its groups, and why.</summary>
    private (string Command, string Reason)? _afterLeave;
    private readonly Func<Agents.ProcessSpec, CancellationToken, Task<Agents.ProcessResult>> _commands;
    private static readonly TimeSpan DigestInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PendingExpiry = TimeSpan.FromSeconds(10);

    private readonly ClusterConfig _config;
    private readonly LiveConfig _live;
    private readonly ICorosyncLink _link;
    private readonly ILogger _log;
    private readonly Replica _replica;
    private readonly GroupRunner _groups;
    private readonly ListedMonitors _monitors;
    private readonly ShutdownDaemon _sd;
    private readonly FenceHistoryStore _history;
    private readonly PartitionAdvertiser _adverts;
    private readonly WatchdogSupervisor _watch;
    private readonly SteadyClock _steady;
    private ImmutableArray<Core.Shutdown.FenceRecord> _historyOnDisk;
    private readonly IntentStore _intents;
    private readonly Channel<HostInput> _inputs = Channel.CreateUnbounded<HostInput>(new() { SingleReader = true });
    private readonly Dictionary<string, DateTimeOffset> _pending = [];
    private readonly Lock _sendLock = new();
    private ImmutableArray<string> _waiting = [];

    /// <summary>The state changes this node applied, for the API's event stream.</summary>
    public Api.EventFeed Feed { get; } = new();

    /// <summary>Fence operations recorded while this node held the state, for metrics.</summary>
    public Api.FenceMetrics FenceMetrics { get; } = new();

    /// <summary>Failover timelines built from the changes this node applies (<c>GET /api/v1/incidents</c>).</summary>
    public Api.IncidentTracker Incidents { get; } = new();

    /// <summary>The context of the last planning round (settle deadline, partition holds), for dry runs.</summary>
    private Core.Planning.PlanContext? _lastPlanContext;
    private DateTimeOffset? _settleDeadline;
    private DateTimeOffset _nextDigest;
    private bool _quorate;
    private DateTimeOffset _noStateSentAt;
    private ImmutableArray<Core.Shutdown.PathTest> _pathsSent = [];
    private DateTimeOffset _pathsSentAt;
    private volatile bool _probing;
    private DateTimeOffset _probeSentAt;
    private readonly uint _localId;
    private readonly TaskCompletionSource _joined = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ClusterHost(ClusterConfig config, NodeConfig local, HostPorts ports, HostOptions options, IWatchdog? watchdog = null)
    {
        _config = config;
        _link = ports.Link;
        Time = ports.Time;
        LocalNode = local.Name;
        _localId = local.Id;
        var loggers = ports.Loggers;
        _log = loggers.CreateLogger("palisade.cluster");
        _replica = new Replica(config, local.Name);
        _groups = new GroupRunner(config, this, ports.ResourceAgents, loggers, ports.Commands);
        _commands = ports.Commands;
        _monitors = new ListedMonitors(config, this, ports.MonitorChecks ?? (m => ListedMonitors.Check(config, m, ports.ResourceAgents, local.Name)), loggers);
        Options = options;
        _live = new LiveConfig(config);
        _steady = new SteadyClock(Time);
        _watch = new WatchdogSupervisor(watchdog ?? NoWatchdog.Instance, new NodeLivenessBoard(config, _steady),
            ports.Link is CorosyncLink real ? new CorosyncQuorumView(real) : new LinkQuorumView(ports.Link));
        if (ports.ShutdownAgents is CatalogShutdownAgents catalog)
        {
            catalog.Services.Liveness = _watch.Liveness;
        }

        _sd = new ShutdownDaemon(_live, this, () => QueryQuorum() == true, ports.ShutdownAgents, loggers);
        _history = new FenceHistoryStore(ports.Disk, _log);
        _historyOnDisk = _history.Load();
        _intents = new IntentStore(ports.Disk, _log);
        _intents.Load();
        _disk = ports.Disk;
        _adverts = new PartitionAdvertiser(_live, local, CurrentAdvert, ports.AdminLan, options.AdvertKey, Convert.ToHexStringLower(ports.RandomBytes(16)), Time, _steady,
            loggers.CreateLogger(SdLog.Category));
        _quorate = QueryQuorum() == true;
        _nextDigest = _steady.Now + DigestInterval;
        StartAlerts(config, ports.Commands, loggers);
    }

    public string LocalNode { get; }

    public HostOptions Options { get; }

    /// <summary>Completes when corosync first reports this node's palisaded as a member of the cluster's process group.</summary>
    public Task Joined => _joined.Task;

    public TimeProvider Time { get; }

    /// <summary>Shutting down: the loop reads no more events, so its replica stays as it was (observers skip it).</summary>
    public bool Leaving { get; private set; }

    /// <summary>
    /// Maintenance mode as this node knows it: the replicated state's while it holds one, else the last kept on disk
    /// (a palisaded that has not received the state yet must not stop what maintenance keeps running).
    /// </summary>
    private bool InMaintenance => _replica.Phase == ReplicaPhase.Synced && _replica.State is { } state ? state.Maintenance : _intents.Maintenance?.On == true;

    public ChannelWriter<HostInput> Inputs => _inputs.Writer;

    /// <summary>This node's replica, read by observers on the loop's own context (the simulator's checks).</summary>
    public Replica Replica => _replica;

    /// <summary>Read from the monitor loops' threads: the state is immutable and its reference is replaced whole.</summary>
    public ClusterState? State => _replica.Phase == Core.Replication.ReplicaPhase.Synced ? _replica.State : null;

    public bool MonitorSuspended(string monitor) =>
        _replica.State?.Monitors.GetValueOrDefault(monitor)?.On(LocalNode).Health == MonitorHealth.Suspended;

    public void Send(NodeMessage message)
    {
        try
        {
            lock (_sendLock)
            {
                _link.Send(MessageCodec.Encode(message));
            }
        }
        catch (CorosyncException ex)
        {
            Log.SendFailed(_log, ex.Message);
        }
    }

    /// <summary>Runs until shutdown (exit 0) or until the local corosync is lost (exit 3).</summary>
    public async Task<int> RunAsync(CancellationToken stopping)
    {
        _ = PumpCorosync();
        _ = _sd.StartAsync("palisaded started");
        _adverts.Start();
        _monitors.Start();
        using var timer = Time.CreateTimer(_ => _inputs.Writer.TryWrite(new Tick()), null, TickInterval, TickInterval);
        using var registration = stopping.Register(() => _inputs.Writer.TryWrite(new ShutdownRequested()));
        // Explicit waits rather than ReadAllAsync: every continuation stays on the caller's synchronization context
        // (the simulator's single thread), none escapes to the thread pool.
        while (await _inputs.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (_inputs.Reader.TryRead(out var input))
            {
                switch (input)
                {
                    case FromCorosync { Event: CorosyncLost lost }:
                        return await OnCorosyncLost(lost);
                    case FromCorosync c:
                        OnCorosync(c.Event);
                        break;
                    case Tick:
                        OnTick();
                        break;
                    case Control control:
                        OnControl(control);
                        break;
                    case ShutdownRequested:
                        await ShutdownAsync();
                        return 0;
                }
            }
        }

        return 0;
    }

    private async Task PumpCorosync()
    {
        var events = _link.Events;
        while (await events.WaitToReadAsync())
        {
            while (events.TryRead(out var e))
            {
                _inputs.Writer.TryWrite(new FromCorosync(e));
            }
        }
    }

    private void OnCorosync(CorosyncEvent e)
    {
        switch (e)
        {
            case CpgMessage m:
                OnMessage(m);
                break;
            case CpgMembershipChanged c:
                if (c.Members.Any(m => m.NodeId == _localId))
                {
                    _joined.TrySetResult();
                }

                NotePartitionChanged();
                Deliver(ToMembership(c));
                break;
            case QuorumChanged q:
                OnQuorum(q.Quorate);
                break;
            case TotemMembershipChanged t:
                Log.TotemMembership(_log, string.Join(",", t.Members), t.RingSeq);
                Deliver(new TotemChanged([.. t.Members]));
                break;
        }

        Plan();
    }

    private void OnMessage(CpgMessage m)
    {
        ClusterMessage message;
        try
        {
            message = MessageCodec.Decode(m.Payload);
        }
        catch (System.Text.Json.JsonException ex)
        {
            Log.BadMessage(_log, m.NodeId, ex.Message);
            return;
        }

        if (SenderCheck.Problem(_config, m.NodeId, message) is { } problem)
        {
            Log.MessageRefused(_log, m.NodeId, problem);
            return;
        }

        if (message is NodeMessage { From: var from } && from == LocalNode)
        {
            if (message is FenceStarted started)
            {
                NoteFenceAnnounced(started);
            }

            _pending.Remove(PendingKey(message));
        }

        if (message is StateDigest digest)
        {
            CheckDigest(digest);
        }

        Deliver(message);
    }

    /// <summary>Tells the cluster what runs here, each time this node (re)gains the state: nothing is placed before.</summary>
    private async Task ProbeAndReportAsync()
    {
        _probing = true;
        try
        {
            var (running, uncertain) = await _groups.ProbeAsync();
            _probeSentAt = _steady.Now;
            Send(new ProbeReport([.. running], Options.Instance, _intents.Current, [.. uncertain], _groups.NeverStarted, _groups.Idle)
            {
                From = LocalNode,
                At = Time.GetUtcNow(),
                NodeIntents = _intents.CurrentNodes,
                Maintenance = _intents.Maintenance,
            });
        }
        finally
        {
            _probing = false;
        }
    }

    /// <summary>
    /// This node holds the state again: tell the cluster whether its shutdown daemon runs (a restarted node may have
    /// been recorded as stopped) and bring back the fence history kept on disk.
    /// </summary>
    private void OnSynced()
    {
        var state = _replica.State!;
        if (state.Nodes.TryGetValue(LocalNode, out var me) && me.ShutdownDaemon != _sd.Running)
        {
            Send(new ShutdownDaemonChanged(_sd.Running, _sd.Running ? "running since palisaded started" : "stopped") { From = LocalNode, At = Time.GetUtcNow() });
        }

        var known = state.FenceHistory.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var missing = _historyOnDisk.Where(r => !known.Contains(r.Id)).TakeLast(_config.Shutdown.HistoryLimit).ToImmutableArray();
        _historyOnDisk = [];
        if (!missing.IsEmpty)
        {
            Send(new HistoryImported(missing) { From = LocalNode, At = Time.GetUtcNow() });
        }

        RepublishJournal(state);
    }

    private static MembershipChanged ToMembership(CpgMembershipChanged c) => new(
        [.. c.Members.Select(m => m.NodeId).Distinct()],
        [.. c.Left.Select(l => new MemberLeft(l.NodeId, l.Reason switch
        {
            CpgReason.Leave => LeaveReason.Leave,
            CpgReason.NodeDown => LeaveReason.NodeDown,
            CpgReason.ProcDown => LeaveReason.ProcDown,
            _ => LeaveReason.Other,
        }))],
        [.. c.Joined.Select(j => j.NodeId).Distinct()]);

    private void Deliver(ClusterMessage message)
    {
        var phaseBefore = _replica.Phase;
        var stateBefore = _replica.State;
        var historyBefore = stateBefore?.FenceHistory;
        var result = _replica.Deliver(message, Time.GetUtcNow());
        var tookState = (phaseBefore != ReplicaPhase.Synced && _replica.Phase == ReplicaPhase.Synced) || result.AdoptedState;
        if (tookState)
        {
            _ = ProbeAndReportAsync();
            OnSynced();
        }

        if (_replica.Phase == ReplicaPhase.Synced && _replica.State is { } applied)
        {
            if (tookState)
            {
                Feed.Restart(applied.Version);
            }
            else if (!result.Notes.IsEmpty)
            {
                Feed.Publish(new Api.FeedEvent(applied.Version, Time.GetUtcNow(), message.GetType().Name, result.Notes));
            }

            if (!tookState && phaseBefore == ReplicaPhase.Synced && stateBefore is not null && !ReferenceEquals(stateBefore, applied))
            {
                Incidents.Observe(stateBefore, applied, message, Time.GetUtcNow());
            }

            OnAppliedForAlerts(message, phaseBefore == ReplicaPhase.Synced ? stateBefore : null, applied, tookState);

            // New fence records, except those merged in from another node's disk (not fenced now).
            if (!tookState && message is not HistoryImported && historyBefore is { } before && !ReferenceEquals(applied.FenceHistory, before))
            {
                var known = before.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
                foreach (var record in applied.FenceHistory.Where(r => !known.Contains(r.Id)))
                {
                    FenceMetrics.Record(record);
                }
            }
        }

        if (message is FenceAttempted attempt)
        {
            _sd.OnAttempt(attempt);
        }

        if (_replica.Phase == ReplicaPhase.Synced && _replica.State is { } synced)
        {
            _history.Save(synced.FenceHistory);
            _intents.Save(GroupIntent.Of(synced));
            _intents.Save(NodeIntent.Of(synced));
            _intents.Save(MaintenanceIntent.Of(synced));
        }

        foreach (var note in result.Notes)
        {
            Log.StateNote(_log, note);
        }

        foreach (var send in result.ToSend)
        {
            if (send is NoState)
            {
                _noStateSentAt = _steady.Now;
            }

            Send(send);
        }

        foreach (var effect in result.Effects)
        {
            _ = effect switch
            {
                StartGroupEffect s => _groups.StartAsync(s.Group, s.Reason),
                StopGroupEffect s => _groups.StopAsync(s.Group, s.Reason),
                AdoptGroupEffect a => _groups.AdoptAsync(a.Group),
                RecoveryCommandEffect r => _groups.RunRecoveryCommandAsync(r),
                RestartResourceEffect r => _groups.RestartResourceAsync(r.Group, r.Resource, r.Reason),
                StopResourceEffect r => _groups.StopResourceAsync(r.Group, r.Resource, r.Reason),
                LeaveClusterEffect l => LeaveCluster(l.Reason, l.ThenRun),
                NodeCommandEffect n => RunNodeCommandAsync(n.Action, n.Command, n.Reason),
                FenceEffect f when LateFence(f.Target) is { } late => Decline(f.Target, late),
                FenceEffect f => _sd.FenceAsync(f.Target, f.PowerOnAfter, f.DumpFirst),
                _ => Task.CompletedTask,
            };
        }
    }
}
