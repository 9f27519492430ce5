namespace Palisade.Simulation.Runtime;

/// <summary>
/// The simulator's one thread of execution: a FIFO of work posted by node contexts and a queue of timed events on
/// the true (monotonic) clock. Nothing runs unless <see cref="RunUntil"/> runs it, so a seed fixes the whole run.
/// </summary>
internal sealed class SimScheduler
{
    private const int MaxWorkPerInstant = 200_000;
    private readonly Queue<(NodeContext Context, SendOrPostCallback Callback, object? State)> _ready = new();
    private readonly PriorityQueue<TimedEvent, (long Ticks, long Seq)> _timed = new();
    private long _seq;

    public SimScheduler(DateTimeOffset start)
    {
        Now = start;
        ThreadId = Environment.CurrentManagedThreadId;
    }

    /// <summary>True time: what the world's hardware clocks would agree on.</summary>
    public DateTimeOffset Now { get; private set; }

    /// <summary>The thread that owns this world; everything in it must run there.</summary>
    public int ThreadId { get; private set; }

    /// <summary>The context whose work is running now, if any.</summary>
    public NodeContext? Current { get; private set; }

    public void Post(NodeContext context, SendOrPostCallback callback, object? state) => _ready.Enqueue((context, callback, state));

    /// <summary>Runs <paramref name="action"/> at <paramref name="due"/>: in <paramref name="owner"/>'s context if given (dropped if it died), else as the world.</summary>
    public TimedEvent At(DateTimeOffset due, Action action, NodeContext? owner = null)
    {
        var e = new TimedEvent(due < Now ? Now : due, action, owner);
        _timed.Enqueue(e, (e.Due.UtcTicks, ++_seq));
        return e;
    }

    public TimedEvent After(TimeSpan delay, Action action, NodeContext? owner = null) => At(Now + delay, action, owner);

    /// <summary>Runs posted work and timed events in order until <paramref name="end"/> (or <paramref name="stop"/> holds after a step).</summary>
    public void RunUntil(DateTimeOffset end, Func<bool>? stop = null)
    {
        ThreadId = Environment.CurrentManagedThreadId;
        while (true)
        {
            RunReady();
            if (stop?.Invoke() == true)
            {
                return;
            }

            if (!_timed.TryPeek(out var next, out _) || next.Due > end)
            {
                break;
            }

            _timed.Dequeue();
            if (next.Cancelled)
            {
                continue;
            }

            Now = next.Due;
            if (next.Owner is null)
            {
                next.Action();
            }
            else if (next.Owner.Alive)
            {
                Post(next.Owner, static s => ((Action)s!)(), next.Action);
            }
        }

        if (end > Now)
        {
            Now = end;
        }
    }

    private void RunReady()
    {
        var count = 0;
        while (_ready.TryDequeue(out var work))
        {
            if (!work.Context.Alive)
            {
                continue; // that process died: its continuations never run
            }

            if (++count > MaxWorkPerInstant)
            {
                throw new InvalidOperationException($"{work.Context.Name} keeps posting work without time passing");
            }

            var previous = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(work.Context);
            Current = work.Context;
            try
            {
                work.Callback(work.State);
            }
            finally
            {
                Current = null;
                SynchronizationContext.SetSynchronizationContext(previous);
            }
        }
    }
}

/// <summary>Something due at a time; cancelling it before then drops it.</summary>
internal sealed class TimedEvent(DateTimeOffset due, Action action, NodeContext? owner)
{
    public DateTimeOffset Due { get; } = due;

    public Action Action { get; } = action;

    public NodeContext? Owner { get; } = owner;

    public bool Cancelled { get; private set; }

    public void Cancel() => Cancelled = true;
}
