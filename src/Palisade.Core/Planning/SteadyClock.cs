namespace Palisade.Core.Planning;

/// <summary>
/// This process's monotonic clock shown as a date: it starts from the wall clock read once and then moves only with
/// elapsed time. Local waits (partition delays, lost-since times, signs of life, the join window) are measured on it,
/// so a wall-clock step (NTP, an operator's <c>date -s</c>) neither cuts a wait short nor stretches it. Instants on it
/// are only ever compared with each other; <see cref="ToWall"/> converts one for code that works in wall-clock time.
/// </summary>
public sealed class SteadyClock
{
    private readonly TimeProvider _time;
    private readonly DateTimeOffset _anchor;
    private readonly long _start;

    public SteadyClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _anchor = time.GetUtcNow();
        _start = time.GetTimestamp();
    }

    public DateTimeOffset Now => _anchor + _time.GetElapsedTime(_start);

    /// <summary>The wall-clock instant <paramref name="wallNow"/> plus however long is left until <paramref name="steady"/>.</summary>
    public DateTimeOffset ToWall(DateTimeOffset steady, DateTimeOffset wallNow) =>
        steady == DateTimeOffset.MaxValue || steady == DateTimeOffset.MinValue ? steady : wallNow + (steady - Now);
}
