using System.Collections.Immutable;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon.Api;

/// <summary>
/// Fence operations this node saw recorded in the cluster's fence history since it started (records it merely
/// imported from another node's disk are not counted): a count per (target, agent, result) and a histogram of how
/// long each agent took. Counters start at zero with palisaded, as Prometheus expects. Thread-safe.
/// </summary>
internal sealed class FenceMetrics
{
    /// <summary>Upper bounds of the duration histogram's buckets, in seconds (then +Inf).</summary>
    public static readonly ImmutableArray<double> Buckets = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Lock _gate = new();
    private readonly Dictionary<(string Target, string Agent, string Result), long> _operations = [];
    private readonly Dictionary<string, Histogram> _durations = new(StringComparer.Ordinal);

    public void Record(FenceRecord record)
    {
        lock (_gate)
        {
            var key = (record.Target, record.Agent, record.Result.ToString());
            _operations[key] = _operations.GetValueOrDefault(key) + 1;
            if (!_durations.TryGetValue(record.Agent, out var histogram))
            {
                _durations[record.Agent] = histogram = new Histogram(Buckets);
            }

            histogram.Observe(record.DurationMs / 1000.0);
        }
    }

    public (IReadOnlyList<KeyValuePair<(string Target, string Agent, string Result), long>> Operations, IReadOnlyList<(string Agent, HistogramSnapshot Durations)> Durations) Snapshot()
    {
        lock (_gate)
        {
            return ([.. _operations.OrderBy(o => o.Key)],
                [.. _durations.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => (d.Key, d.Value.Snapshot()))]);
        }
    }
}
