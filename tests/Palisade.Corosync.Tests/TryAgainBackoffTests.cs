using Xunit;

namespace Palisade.Corosync.Tests;

/// <summary>The retry budget behind Send's CS_ERR_TRY_AGAIN handling, on a clock the test moves.</summary>
public sealed class TryAgainBackoffTests
{
    [Fact]
    public void Keeps_retrying_within_the_budget_and_stops_once_it_is_spent()
    {
        var clock = new ManualClock();
        var backoff = new TryAgainBackoff(clock, TimeSpan.FromSeconds(10));

        Assert.True(backoff.Wait());
        clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.True(backoff.Wait());
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.False(backoff.Wait());

        Assert.Equal(2, backoff.Retries);
        Assert.Equal(TimeSpan.FromSeconds(10), backoff.Elapsed);
    }

    [Fact]
    public void A_spent_budget_gives_up_without_sleeping()
    {
        var backoff = new TryAgainBackoff(new ManualClock(), TimeSpan.Zero);

        Assert.False(backoff.Wait());
        Assert.Equal(0, backoff.Retries);
    }

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
