using System.Collections.Concurrent;
using System.Diagnostics;

namespace Palisade.Simulation.Schedules;

/// <summary>Runs many seeds in parallel (each world on one thread of its own) and collects the failures.</summary>
internal static class SimulationBatch
{
    public static (IReadOnlyList<RunResult> Failures, int Runs, TimeSpan Elapsed) Run(IEnumerable<int> seeds, int steps, string? cluster = null, int? parallelism = null, bool monitors = true,
        bool nodeOperations = true)
    {
        var failures = new ConcurrentBag<RunResult>();
        var runs = 0;
        var clock = Stopwatch.StartNew();
        Parallel.ForEach(seeds, new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount }, seed =>
        {
            var result = ScheduleRunner.Run(ScheduleGenerator.Generate(seed, steps, cluster, monitors, nodeOperations && monitors));
            Interlocked.Increment(ref runs);
            if (result.Failed)
            {
                failures.Add(result);
            }
        });
        return ([.. failures.OrderBy(f => f.Schedule.Seed)], runs, clock.Elapsed);
    }
}
