namespace Palisade.Daemon.Alerts;

/// <summary>
/// When a failed delivery is tried again: 1 s after the first failure, doubling up to 5 minutes; a delivery still
/// failing <see cref="MaxAge"/> after it was queued is dropped.
/// </summary>
internal static class AlertBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan Cap = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(24);

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 for the first).</summary>
    public static TimeSpan After(int failures)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - 1, 30);
        var wait = First * Math.Pow(2, doublings);
        return wait < Cap ? wait : Cap;
    }

    public static bool Expired(DateTimeOffset queued, DateTimeOffset now, TimeSpan maxAge) => now - queued > maxAge;
}
