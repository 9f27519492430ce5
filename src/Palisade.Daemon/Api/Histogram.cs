using System.Collections.Immutable;

namespace Palisade.Daemon.Api;

/// <summary>
/// A Prometheus-style histogram of durations in seconds: cumulative bucket counts by upper bound (then +Inf), count
/// and sum. Not thread-safe: its owner locks.
/// </summary>
internal sealed class Histogram(ImmutableArray<double> buckets)
{
    private readonly long[] _cumulative = new long[buckets.Length];
    private long _count;
    private double _sum;

    /// <summary>Upper bounds of the buckets, in seconds.</summary>
    public ImmutableArray<double> Buckets { get; } = buckets;

    public void Observe(double seconds)
    {
        for (var i = 0; i < Buckets.Length; i++)
        {
            if (seconds <= Buckets[i])
            {
                _cumulative[i]++;
            }
        }

        _count++;
        _sum += seconds;
    }

    public HistogramSnapshot Snapshot() => new(Buckets, [.. _cumulative], _count, _sum);
}

/// <summary>A histogram as it was: per bucket the observations at or under its bound, then the count and the sum.</summary>
internal sealed record HistogramSnapshot(ImmutableArray<double> Buckets, ImmutableArray<long> Cumulative, long Count, double Sum);
