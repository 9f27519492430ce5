namespace Palisade.Corosync;

/// <summary>
/// Paces retries of calls that answer CS_ERR_TRY_AGAIN (flow control, membership sync): short sleeps that
/// grow to a cap, until a time budget is spent.
/// </summary>
internal struct TryAgainBackoff
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time;
    private readonly long _start;
    private readonly TimeSpan _budget;
    private TimeSpan _delay;

    public TryAgainBackoff(TimeProvider time, TimeSpan budget)
    {
        _time = time;
        _start = time.GetTimestamp();
        _budget = budget;
        _delay = FirstDelay;
    }

    /// <summary>How many times <see cref="Wait"/> slept.</summary>
    public int Retries { get; private set; }

    public readonly TimeSpan Elapsed => _time.GetElapsedTime(_start);

    /// <summary>Sleeps before the next attempt; false once the budget is spent (the caller should give up).</summary>
    public bool Wait()
    {
        var remaining = _budget - Elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            return false;
        }

        Retries++;
        Thread.Sleep(_delay < remaining ? _delay : remaining);
        _delay = _delay * 2 < MaxDelay ? _delay * 2 : MaxDelay;
        return true;
    }
}
