using Palisade.Core.Shutdown;
using Palisade.Daemon.Api;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>Fence operations as Prometheus counters and a cumulative duration histogram per agent.</summary>
public sealed class FenceMetricsTests
{
    private static FenceRecord Fence(string agent, long ms, FenceResult result) =>
        new("n2", "n1", agent, "off", DateTimeOffset.UnixEpoch, ms, result, "test");

    [Fact]
    public void Operations_are_counted_by_target_agent_and_result_and_durations_fall_in_cumulative_buckets()
    {
        var metrics = new FenceMetrics();
        metrics.Record(Fence("ipmi", 400, FenceResult.Worked));
        metrics.Record(Fence("ipmi", 3000, FenceResult.TimedOut));
        metrics.Record(Fence("ipmi", 900, FenceResult.Worked));

        var (operations, durations) = metrics.Snapshot();

        Assert.Equal([(("n1", "ipmi", "TimedOut"), 1L), (("n1", "ipmi", "Worked"), 2L)], operations.Select(o => (o.Key, o.Value)));
        var (agent, histogram) = Assert.Single(durations);
        Assert.Equal("ipmi", agent);
        // Buckets 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60 s.
        Assert.Equal<long>([0, 0, 1, 2, 2, 3, 3, 3, 3], histogram.Cumulative);
        Assert.Equal(3, histogram.Count);
        Assert.Equal(4.3, histogram.Sum, 3);
    }
}
