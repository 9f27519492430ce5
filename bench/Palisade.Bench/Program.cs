namespace Palisade.Bench;

/// <summary>
/// Lab benchmarks, each on a lab of its own: the demo failover and idle footprint, node loss to KillWorked per shutdown
/// agent, the cost of a shutdown-daemon test cycle, and partition resolution time. <c>test-cycle-worker</c> is the
/// part of the test-cycle benchmark that runs inside a lab node.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var time = TimeProvider.System;
        if (args.Length > 0 && args[0] == TestCycleWorker.Command)
        {
            return await TestCycleWorker.RunAsync(args[1..], time);
        }

        if (args.Length > 0 && args[0] == ApiWorker.Command)
        {
            return await ApiWorker.RunAsync(args[1..]);
        }

        if (args.Length > 0 && args[0] == WebPaintWorker.Command)
        {
            return await WebPaintWorker.RunAsync(args[1..]);
        }

        if (BenchOptions.Parse(args, out var error) is not { } options)
        {
            await Console.Error.WriteLineAsync($"{error}\n{BenchOptions.Usage}");
            return 2;
        }

        Console.WriteLine(Machine.Describe());
        Console.WriteLine($"parts: {string.Join(", ", options.Parts)}; {options.Runs} runs each");
        var failed = new List<string>();
        foreach (var part in options.Parts)
        {
            var started = time.GetTimestamp();
            Console.WriteLine();
            try
            {
                await (part switch
                {
                    "failover" => FailoverPart.RunAsync(options.Runs, time, Console.Out),
                    "crypto" => CryptoPart.RunAsync(options.Runs, time, Console.Out),
                    "fencing" => FencingPart.RunAsync(options.Runs, time, Console.Out),
                    "test-cycle" => TestCyclePart.RunAsync(options.Runs, time, Console.Out),
                    "monitors" => MonitorsPart.RunAsync(options.Runs, time, Console.Out),
                    "external" => ExternalPart.RunAsync(options.Runs, time, Console.Out),
                    "api" => ApiPart.RunAsync(options.Runs, time, Console.Out),
                    "web" => WebPart.RunAsync(options.Runs, time, Console.Out),
                    "footprint" => FootprintPart.RunAsync(options.Runs, time, Console.Out),
                    _ => PartitionPart.RunAsync(options.Runs, time, Console.Out),
                });
                Console.WriteLine($"({part}: {time.GetElapsedTime(started).TotalSeconds:F0} s)");
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or Palisade.Lab.LabException or IOException)
            {
                // One part failing (a lab that did not form, a run past its deadline) should not cost the others' results.
                failed.Add(part);
                Console.WriteLine($"{part} FAILED after {time.GetElapsedTime(started).TotalSeconds:F0} s: {e.Message}");
            }
        }

        Console.WriteLine();
        Console.WriteLine(Machine.Describe());
        if (failed.Count > 0)
        {
            Console.WriteLine($"failed parts: {string.Join(", ", failed)}");
        }

        return failed.Count == 0 ? 0 : 1;
    }
}
