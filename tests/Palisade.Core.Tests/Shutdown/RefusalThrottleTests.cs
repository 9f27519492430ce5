using Palisade.Core.Shutdown;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

public sealed class RefusalThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_refusal_of_a_kind_is_logged_then_one_per_interval_with_the_count_dropped()
    {
        var throttle = new RefusalThrottle();

        Assert.True(throttle.ShouldLog("198.18.0.9 BadSignature", T0, out var first));
        var quiet = Enumerable.Range(0, 99).Count(i => throttle.ShouldLog("198.18.0.9 BadSignature", T0 + TimeSpan.FromMilliseconds(i * 300), out _));
        Assert.True(throttle.ShouldLog("198.18.0.9 Replayed", T0, out var otherKind));
        Assert.True(throttle.ShouldLog("198.18.0.9 BadSignature", T0 + RefusalThrottle.Interval, out var later));

        Assert.Equal((0, 0, 0, 99), (first, quiet, otherKind, later));
    }
}
