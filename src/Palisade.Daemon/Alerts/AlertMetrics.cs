using System.Collections.Concurrent;

namespace Palisade.Daemon.Alerts;

/// <summary>
/// Counters of this node's alert deliveries since palisaded started (by alert and result: delivered, failed,
/// dropped) and its queue: deliveries this node makes (<c>deliver</c>) and ones it holds for another node
/// (<c>standby</c>). Thread-safe.
/// </summary>
internal sealed class AlertMetrics
{
    private readonly ConcurrentDictionary<(string Alert, string Result), long> _delivered = new();
    private long _deliver;
    private long _standby;

    public void Count(string alert, string result) => _delivered.AddOrUpdate((alert, result), 1, (_, n) => n + 1);

    public void SetDepth(int deliver, int standby)
    {
        Interlocked.Exchange(ref _deliver, deliver);
        Interlocked.Exchange(ref _standby, standby);
    }

    public IReadOnlyList<(string Alert, string Result, long Count)> Delivered =>
        [.. _delivered.OrderBy(d => d.Key.Alert, StringComparer.Ordinal).ThenBy(d => d.Key.Result, StringComparer.Ordinal).Select(d => (d.Key.Alert, d.Key.Result, d.Value))];

    public (long Deliver, long Standby) Depth => (Interlocked.Read(ref _deliver), Interlocked.Read(ref _standby));
}
