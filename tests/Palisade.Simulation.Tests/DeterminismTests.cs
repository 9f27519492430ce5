using Palisade.Simulation.Schedules;
using Xunit;

namespace Palisade.Simulation.Tests;

/// <summary>One seed, one run: the whole trace (every delivery, log line and world event) hashes the same twice.</summary>
public sealed class DeterminismTests
{
    [Theory]
    [InlineData(11, "three")]
    [InlineData(12, "five-weighted")]
    [InlineData(13, "two")]
    public void The_same_seed_gives_the_same_trace(int seed, string cluster)
    {
        var schedule = ScheduleGenerator.Generate(seed, 15, cluster);

        var first = ScheduleRunner.Run(schedule, keepTrace: true);
        var second = ScheduleRunner.Run(schedule, keepTrace: true);

        Assert.True(first.Events > 200, $"only {first.Events} events: the run did nothing worth comparing");
        Assert.Equal(first.Events, second.Events);
        Assert.Equal(first.TraceHash, second.TraceHash);
        Assert.Equal(first.Trace, second.Trace);
    }

    [Fact]
    public void Different_seeds_give_different_traces()
    {
        var a = ScheduleRunner.Run(ScheduleGenerator.Generate(21, 10, "three"));
        var b = ScheduleRunner.Run(ScheduleGenerator.Generate(22, 10, "three"));

        Assert.NotEqual(a.TraceHash, b.TraceHash);
    }

    [Fact]
    public void A_schedule_is_drawn_from_its_seed_alone()
    {
        Assert.Equal(ScheduleGenerator.Generate(7, 20).Describe(), ScheduleGenerator.Generate(7, 20).Describe());
    }
}
