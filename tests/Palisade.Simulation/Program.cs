using System.Globalization;
using Palisade.Simulation.Schedules;

namespace Palisade.Simulation;

/// <summary>
/// <c>palisade-sim [--seeds N] [--seed S] [--first F] [--steps K] [--cluster NAME] [--trace] [--no-shrink]</c>:
/// runs fault schedules against real palisaded hosts; the last line is "N schedules, V violations".
/// </summary>
internal static class Program
{
    private const string Usage = "usage: simulate [--seeds N] [--seed S [--keep I,J,..]] [--first F] [--steps K] [--cluster three|five-weighted|two] [--trace] [--no-shrink] [--no-monitors] [--no-node-operations]";

    public static int Main(string[] args)
    {
        int seeds = 100, steps = 20;
        int? single = null, first = null;
        string? cluster = null;
        HashSet<int>? keep = null;
        bool trace = false, shrink = true, monitors = true, nodeOperations = true;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--seeds": seeds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--seed": single = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--first": first = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--steps": steps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--cluster": cluster = Next(); break;
                case "--keep": keep = [.. Next().Split(',').Select(k => int.Parse(k, CultureInfo.InvariantCulture))]; break;
                case "--trace": trace = true; break;
                case "--no-shrink": shrink = false; break;
                case "--no-monitors": monitors = false; nodeOperations = false; break;
                case "--no-node-operations": nodeOperations = false; break;
                default:
                    Console.Error.WriteLine(Usage);
                    return 2;
            }
        }

        return single is { } seed ? RunOne(seed, steps, cluster, keep, trace, shrink, monitors, nodeOperations) : RunMany(first ?? Random.Shared.Next(1, 1_000_000_000), seeds, steps, cluster, shrink, monitors, nodeOperations);
    }

    private static int RunOne(int seed, int steps, string? cluster, HashSet<int>? keep, bool trace, bool shrink, bool monitors, bool nodeOperations)
    {
        var schedule = ScheduleGenerator.Generate(seed, steps, cluster, monitors, nodeOperations);
        var result = ScheduleRunner.Run(keep is null ? schedule : schedule.Keep(keep), trace);
        Console.WriteLine($"seed {seed}: {result.Schedule.Cluster}, {result.Events} events, {result.Simulated.TotalSeconds:0} s simulated, trace {result.TraceHash:x16}");
        if (trace)
        {
            Console.WriteLine(result.Trace);
        }

        Report(result, shrink && keep is null, steps, monitors, nodeOperations);
        Console.WriteLine($"1 schedules, {(result.Failed ? 1 : 0)} violations");
        return result.Failed ? 1 : 0;
    }

    private static int RunMany(int first, int count, int steps, string? cluster, bool shrink, bool monitors, bool nodeOperations)
    {
        Console.WriteLine($"seeds {first}..{first + count - 1}, {steps} steps each");
        var (failures, runs, elapsed) = SimulationBatch.Run(Enumerable.Range(first, count), steps, cluster, monitors: monitors, nodeOperations: nodeOperations);
        foreach (var failure in failures)
        {
            Report(failure, shrink, steps, monitors, nodeOperations);
        }

        Console.WriteLine($"{runs / Math.Max(elapsed.TotalSeconds, 0.001):0.0} schedules/s ({elapsed.TotalSeconds:0.0} s, {Environment.ProcessorCount} cores)");
        Console.WriteLine($"{runs} schedules, {failures.Count} violations");
        return failures.Count > 0 ? 1 : 0;
    }

    private static void Report(RunResult result, bool shrink, int steps, bool monitors, bool nodeOperations)
    {
        if (!result.Failed)
        {
            return;
        }

        Console.WriteLine($"VIOLATION seed {result.Schedule.Seed} ({result.Schedule.Cluster}): {result.Violations[0]}");
        var replay = shrink ? ScheduleRunner.Shrink(result.Schedule, TimeSpan.FromSeconds(30)) : result.Schedule;
        var again = ScheduleRunner.Run(replay);
        Console.WriteLine($"  minimal replay ({(again.Failed ? again.Violations[0] : "no longer fails")}): {replay.Describe()}");
        Console.WriteLine($"  rerun: bash scripts/simulate.sh --steps {steps} --seed {result.Schedule.Seed} --keep {replay.PositionsIn(result.Schedule)}{(monitors ? "" : " --no-monitors")}{(nodeOperations || !monitors ? "" : " --no-node-operations")} --trace");
    }
}
