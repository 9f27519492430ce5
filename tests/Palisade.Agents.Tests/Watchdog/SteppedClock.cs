using Xunit;

namespace Palisade.Agents.Tests;

/// <summary>
/// Fake time with timers (what Task.Delay over a TimeProvider needs): it moves only in <see cref="StepAsync"/>, which
/// first waits (in real time, with a deadline) until the code under test is waiting on a timer, so no step is lost.
/// </summary>
internal sealed class SteppedClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<Timer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time until <paramref name="task"/> completes, one timer at a time; returns how far time moved.</summary>
    public async Task<TimeSpan> RunAsync(Task task, Action<TimeSpan>? at = null)
    {
        var begin = GetUtcNow();
        var limit = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!task.IsCompleted)
        {
            Timer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is not null).MinBy(t => t.Due);
            }

            if (next is null)
            {
                Assert.True(DateTime.UtcNow < limit, "the code under test neither finished nor waited on a timer within 10 s");
                await Task.Delay(1);
                continue;
            }

            lock (_gate)
            {
                _now = next.Due!.Value;
                next.Due = null;
            }

            at?.Invoke(GetUtcNow() - begin);
            next.Fire();
        }

        await task;
        return GetUtcNow() - begin;
    }

    private sealed class Timer(SteppedClock clock, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock._now + dueTime;
                if (!clock._timers.Contains(this))
                {
                    clock._timers.Add(this);
                }
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
