using System.Net;

namespace Palisade.Daemon.Intake;

/// <summary>
/// Failed authentication attempts per remote address: more than a few in a minute and the address is refused until
/// the minute has passed. Bounded: a flood of addresses forgets old counts rather than growing.
/// </summary>
internal sealed class FailedAttempts(TimeProvider time)
{
    public const int PerWindow = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<IPAddress, Queue<DateTimeOffset>> _failures = [];
    private readonly Lock _gate = new();

    public bool TooMany(IPAddress remote)
    {
        lock (_gate)
        {
            if (!_failures.TryGetValue(remote, out var times))
            {
                return false;
            }

            var since = time.GetUtcNow() - Window;
            while (times.Count > 0 && times.Peek() < since)
            {
                times.Dequeue();
            }

            return times.Count >= PerWindow;
        }
    }

    public void Record(IPAddress remote)
    {
        lock (_gate)
        {
            if (_failures.Count > 10_000)
            {
                _failures.Clear();
            }

            if (!_failures.TryGetValue(remote, out var times))
            {
                _failures[remote] = times = new Queue<DateTimeOffset>();
            }

            times.Enqueue(time.GetUtcNow());
        }
    }
}
