using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;

namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// A deterministic cluster of simulated nodes: one global ordered queue stands in for corosync CPG, fake time for the
/// clock, fake agents for resources and fencing, and a world ledger for what really runs where.
/// Nothing here sleeps or uses threads; the same calls always give the same run.
/// </summary>
internal sealed partial class SimCluster
{
    private const int MaxDeliveriesPerDrain = 100_000;
    private readonly List<SimNode> _nodes;
    private readonly LinkedList<BusEntry> _queue = new();
    private readonly PriorityQueue<SimJob, (DateTimeOffset Due, long Seq)> _jobs = new();
    private readonly List<BusRecord> _log = [];
    private readonly List<string> _violations = [];
    private readonly List<string> _trace = [];
    private long _seq;
    private DateTimeOffset _nextTick;

    public SimCluster(ClusterConfig config, SimOptions? options = null)
    {
        Config = config;
        Options = options ?? new SimOptions();
        Clock = new ManualClock(Options.Start);
        _nextTick = Options.Start + Options.Tick;
        _nodes = [.. config.Nodes.OrderBy(n => n.Id).Select(n => new SimNode(this, n))];
        World = new WorldLedger(what =>
        {
            if (Options.CheckWorld)
            {
                Violation(what);
            }
        });
    }

    public ClusterConfig Config { get; }

    public SimOptions Options { get; }

    public ManualClock Clock { get; }

    public DateTimeOffset Now => Clock.Now;

    public SimFaults Faults { get; } = new();

    public WorldLedger World { get; }

    public IReadOnlyList<SimNode> Nodes => _nodes;

    /// <summary>Every delivered message, in delivery order.</summary>
    public IReadOnlyList<BusRecord> BusLog => _log;

    public IReadOnlyList<string> Violations => _violations;

    public SimNode this[string name] => _nodes.FirstOrDefault(n => n.Name == name)
        ?? throw new ArgumentException($"no node {name}", nameof(name));

    public SimNode ById(uint id) => _nodes.First(n => n.Id == id);

    /// <summary>Messages of one type, in delivery order.</summary>
    public IEnumerable<T> Delivered<T>()
        where T : ClusterMessage => _log.Select(r => r.Message).OfType<T>();

    /// <summary>Position of the first delivered message matching, or -1.</summary>
    public int IndexOf(Func<ClusterMessage, bool> match) => _log.FindIndex(r => match(r.Message));

    public IEnumerable<BusEntry> Queued => _queue;

    internal void Send(SimNode from, NodeMessage message)
    {
        if (!from.DaemonUp)
        {
            throw new InvalidOperationException($"{from.Name} has no daemon to send {message.GetType().Name}");
        }

        if (message is FenceStarted f && !HasQuorum(from))
        {
            Violation($"{from.Name} sent FenceStarted({f.Target}) from a partition without quorum");
        }

        var recipients = from.View.Select(ById).Where(n => n.DaemonUp).Select(n => (n, n.Incarnation)).ToImmutableArray();
        Enqueue(message, from.Name, recipients);
    }

    private void Enqueue(ClusterMessage? message, string? sender, ImmutableArray<(SimNode Node, int Incarnation)> recipients) =>
        _queue.AddLast(new BusEntry(++_seq, sender, message, recipients));

    internal void Schedule(SimNode node, TimeSpan after, string what, Action complete) =>
        _jobs.Enqueue(new SimJob(node, node.Incarnation, what, complete), (Now + after, ++_seq));

    /// <summary>Delivers every queued message (and whatever they cause) without letting time pass.</summary>
    public void Drain()
    {
        var count = 0;
        while (DeliverOne())
        {
            if (++count > MaxDeliveriesPerDrain)
            {
                throw new InvalidOperationException("the cluster keeps sending messages without time passing:\n" + RecentTrace());
            }
        }
    }

    /// <summary>Delivers the first queued message to its recipients; false when the queue is empty.</summary>
    public bool DeliverOne()
    {
        if (_queue.First is not { } first)
        {
            return false;
        }

        _queue.RemoveFirst();
        var entry = first.Value;
        if (entry.Message is null)
        {
            var (target, incarnation) = entry.Recipients[0];
            if (target.DaemonUp && target.Incarnation == incarnation)
            {
                target.SetQuorate(HasQuorum(target));
            }

            return true;
        }

        var delivered = ImmutableArray.CreateBuilder<string>();
        foreach (var (node, incarnation) in entry.Recipients)
        {
            if (!node.DaemonUp || node.Incarnation != incarnation || node.ShuttingDown)
            {
                continue; // that daemon died (or stopped taking events) since the message was sent
            }

            delivered.Add(node.Name);
            node.Deliver(entry.Message, entry.Sender is null ? null : this[entry.Sender].Id);
        }

        var record = new BusRecord(entry.Seq, Now, entry.Sender, entry.Message, delivered.ToImmutable());
        _log.Add(record);
        Trace("bus", record.ToString());
        return true;
    }

    /// <summary>Delivers one message at a time until <paramref name="condition"/> holds; false if the queue empties first.</summary>
    public bool DeliverUntil(Func<bool> condition)
    {
        while (!condition())
        {
            if (!DeliverOne())
            {
                return false;
            }
        }

        return true;
    }

    public void RunFor(TimeSpan duration)
    {
        var end = Now + duration;
        Drain();
        while (StepTo(end))
        {
        }

        Clock.AdvanceTo(end);
    }

    /// <summary>Runs everything due up to and including <paramref name="when"/>.</summary>
    public void RunTo(DateTimeOffset when) => RunFor(when - Now);

    /// <summary>Runs until <paramref name="condition"/> holds (checked after every event); false on timeout.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout)
    {
        var end = Now + timeout;
        Drain();
        while (!condition())
        {
            if (!StepTo(end))
            {
                Clock.AdvanceTo(end);
                return condition();
            }
        }

        return true;
    }

    /// <summary>Advances to the next job or tick not later than <paramref name="end"/> and handles it.</summary>
    private bool StepTo(DateTimeOffset end)
    {
        var next = _jobs.TryPeek(out _, out var due) && due.Due < _nextTick ? due.Due : _nextTick;
        if (next > end)
        {
            return false;
        }

        Clock.AdvanceTo(next);
        while (_jobs.TryPeek(out var job, out var at) && at.Due <= next)
        {
            _jobs.Dequeue();
            if (job.Node.DaemonUp && job.Node.Incarnation == job.Incarnation)
            {
                Trace(job.Node.Name, $"done: {job.What}");
                job.Complete();
            }

            Drain();
        }

        if (_nextTick <= next)
        {
            _nextTick += Options.Tick;
            foreach (var node in _nodes.Where(n => n.DaemonUp && !n.ShuttingDown))
            {
                node.Tick();
            }

            Drain();
        }

        return true;
    }

    internal void Trace(string who, string text)
    {
        if (Options.Trace)
        {
            _trace.Add($"{Now:HH:mm:ss.fff} {who}: {text}");
        }
    }

    internal void Violation(string what)
    {
        var line = $"{Now:HH:mm:ss.fff} {what}";
        _violations.Add(line);
        Trace("VIOLATION", what);
        if (Options.ThrowOnViolation)
        {
            throw new InvariantViolationException(line + "\n" + RecentTrace());
        }
    }

    public string RecentTrace(int lines = 400) => string.Join("\n", _trace.TakeLast(lines));
}

internal sealed class InvariantViolationException(string message) : Exception(message);
