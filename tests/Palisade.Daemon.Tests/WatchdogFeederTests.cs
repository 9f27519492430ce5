using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Palisade.Daemon.Tests;

public sealed class WatchdogFeederTests
{
    private static readonly WatchdogFacts Healthy = new(CorosyncAlive: true, Quorate: true, Yielding: null);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.Zero));
    private readonly RecordingDevice _device = new();
    private readonly WatchdogFeeder _feeder;

    public WatchdogFeederTests() =>
        _feeder = new WatchdogFeeder(_device, "/var/lib/palisade/watchdog", TimeSpan.FromSeconds(6), _clock, NullLogger.Instance);

    /// <summary>Host ticks every 250 ms for <paramref name="span"/>, each with <paramref name="facts"/>.</summary>
    private void Ticks(TimeSpan span, WatchdogFacts facts)
    {
        for (var t = TimeSpan.Zero; t < span; t += Tick)
        {
            _feeder.Observe(facts);
            _clock.Advance(Tick);
        }
    }

    [Fact]
    public void A_healthy_node_feeds_every_third_of_the_timeout()
    {
        Ticks(TimeSpan.FromSeconds(12), Healthy);

        Assert.Equal(WatchdogState.Feeding, _feeder.State);
        Assert.Equal("111111", _device.Written); // at 0, 2, 4, 6, 8, 10 s
    }

    [Fact]
    public void While_waiting_for_the_first_quorum_it_feeds_and_stays_arming()
    {
        Ticks(TimeSpan.FromSeconds(4), Healthy with { Quorate = false });

        Assert.Equal(WatchdogState.Arming, _feeder.State);
        Assert.Equal("11", _device.Written);
    }

    [Theory]
    [InlineData(false, true, null, "the local corosync does not answer")]
    [InlineData(true, false, null, "this partition lost quorum")]
    [InlineData(true, true, "this partition [n2] weighs 1", "this node yields the two-node split: this partition [n2] weighs 1")]
    public void It_stops_feeding_for_good_once_the_node_is_unhealthy(bool corosync, bool quorate, string? yielding, string why)
    {
        Ticks(TimeSpan.FromSeconds(3), Healthy);
        var fedBefore = _device.Written.Length;

        Ticks(TimeSpan.FromSeconds(1), new WatchdogFacts(corosync, quorate, yielding));
        Ticks(TimeSpan.FromSeconds(10), Healthy); // healthy again: too late, the node is being reset

        Assert.Equal(2, fedBefore);
        Assert.Equal("11", _device.Written);
        Assert.Equal(WatchdogState.Starving, _feeder.State);
        Assert.Equal(why, _feeder.StarvingBecause);
    }

    [Fact]
    public void A_clean_leave_writes_the_magic_character_and_closes()
    {
        Ticks(TimeSpan.FromSeconds(1), Healthy);

        _feeder.Disarm();

        Assert.Equal("1V", _device.Written);
        Assert.True(_device.Closed);
        Assert.Equal(WatchdogState.Disarmed, _feeder.State);
    }

    [Fact]
    public void A_node_that_stopped_feeding_leaves_with_its_watchdog_armed()
    {
        Ticks(TimeSpan.FromSeconds(1), Healthy);
        Ticks(TimeSpan.FromSeconds(1), Healthy with { Quorate = false });

        _feeder.Disarm();

        Assert.Equal("1", _device.Written);
        Assert.True(_device.Closed);
        Assert.Equal(WatchdogState.Starving, _feeder.State);
    }

    [Fact]
    public void Any_other_exit_closes_without_the_magic_character()
    {
        Ticks(TimeSpan.FromSeconds(1), Healthy);

        _feeder.Dispose();

        Assert.Equal("1", _device.Written);
        Assert.True(_device.Closed);
    }

    [Fact]
    public void A_device_that_fails_a_write_is_no_longer_fed()
    {
        Ticks(TimeSpan.FromSeconds(1), Healthy);
        _device.FailWrites = true;

        Ticks(TimeSpan.FromSeconds(3), Healthy);

        Assert.Equal(WatchdogState.Starving, _feeder.State);
        Assert.Equal("writing to /var/lib/palisade/watchdog failed: No such device", _feeder.StarvingBecause);
    }
}

public sealed class WatchdogFeederStartupTests
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 2, 18, 0, 0, TimeSpan.Zero));
    private readonly RecordingDevice _device = new();

    [Fact]
    public void Until_the_host_loop_first_observes_the_start_up_timer_feeds_then_only_the_loop_does()
    {
        var feeder = new WatchdogFeeder(_device, "/var/lib/palisade/watchdog", TimeSpan.FromSeconds(3), _clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        for (var i = 0; i < 4; i++)
        {
            feeder.Prime();
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        feeder.Observe(new WatchdogFacts(true, true, null));
        _clock.Advance(TimeSpan.FromSeconds(1));
        feeder.Prime();
        feeder.Prime();

        Assert.Equal("11111", _device.Written); // four start-up feeds, one from the loop, none from the timer after it
        Assert.Equal(WatchdogState.Feeding, feeder.State);
    }

    [Fact]
    public void A_host_loop_that_never_starts_stops_the_feeding_after_the_start_up_grace()
    {
        var feeder = new WatchdogFeeder(_device, "/var/lib/palisade/watchdog", TimeSpan.FromSeconds(3), _clock, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        feeder.Prime();
        _clock.Advance(WatchdogFeeder.MinStartupGrace + TimeSpan.FromMilliseconds(1));

        feeder.Prime();
        _clock.Advance(TimeSpan.FromSeconds(5));
        feeder.Prime();

        Assert.Equal("1", _device.Written);
        Assert.Equal(WatchdogState.Starving, feeder.State);
        Assert.Equal("the host loop did not start within 60 s", feeder.StarvingBecause);
    }
}
