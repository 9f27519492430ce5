namespace Palisade.Simulation.Runtime;

/// <summary>
/// One process's view of time: timers and timestamps follow the world's true clock (they are monotonic), the wall
/// clock may be off by a jump the fault schedule injected. Timers fire as work in the owning process's context.
/// Reading the clock from any thread but the simulator's is reported: host code escaped to the thread pool.
/// </summary>
internal sealed class NodeClock(SimScheduler scheduler, NodeContext owner, Func<TimeSpan> wallOffset, Action<string> foreignThread) : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        CheckThread();
        return scheduler.Now + wallOffset();
    }

    public override long GetTimestamp()
    {
        CheckThread();
        return scheduler.Now.UtcTicks;
    }

    private void CheckThread()
    {
        if (Environment.CurrentManagedThreadId != scheduler.ThreadId)
        {
            foreignThread($"{owner.Name} read its clock on thread {Environment.CurrentManagedThreadId}, not the simulator's thread {scheduler.ThreadId}");
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        CheckThread();
        var timer = new SimTimer(scheduler, owner, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class SimTimer(SimScheduler scheduler, NodeContext owner, TimerCallback callback, object? state) : ITimer
    {
        private TimedEvent? _next;
        private TimeSpan _period = Timeout.InfiniteTimeSpan;
        private bool _disposed;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _next?.Cancel();
            _next = null;
            if (_disposed)
            {
                return false;
            }

            _period = period;
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                Arm(dueTime);
            }

            return true;
        }

        private void Arm(TimeSpan after) => _next = scheduler.After(after < TimeSpan.Zero ? TimeSpan.Zero : after, Fire, owner);

        private void Fire()
        {
            if (_disposed)
            {
                return;
            }

            if (_period != Timeout.InfiniteTimeSpan && _period > TimeSpan.Zero)
            {
                Arm(_period);
            }

            callback(state);
        }

        public void Dispose()
        {
            _disposed = true;
            _next?.Cancel();
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
