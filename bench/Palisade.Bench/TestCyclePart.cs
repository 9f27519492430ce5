using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Palisade.Lab;

namespace Palisade.Bench;

/// <summary>
/// The cost of one shutdown-daemon test cycle over 32 targets x 3 agents: the worker (this program again) runs inside
/// lab node n1 and reports wall and CPU time per cycle.
/// </summary>
internal static class TestCyclePart
{
    private const int Targets = 32;
    private const int Parallel = 8;

    /// <summary>
    /// Nodes run corosync only: no palisaded testing its own paths against the same BMCs while the worker is measured.
    /// </summary>
    private static readonly LabOptions CorosyncOnly = new() { DaemonPath = "/nonexistent/palisaded" };

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        output.WriteLine($"test-cycle: {Targets} targets x [ipmi, fence_ipmilan, redfish], at most {Parallel} tests at once, inside lab node n1");
        await using var lab = await BenchLab.UpAsync(null, null, time, CorosyncOnly);
        var bmcs = string.Join(",", lab.Nodes.Select(n => n.Bmc));
        string[] command =
        [
            DotnetHost(), typeof(TestCycleWorker).Assembly.Location, TestCycleWorker.Command,
            "--cycles", runs.ToString(CultureInfo.InvariantCulture), "--bmcs", bmcs,
            "--targets", Targets.ToString(CultureInfo.InvariantCulture), "--parallel", Parallel.ToString(CultureInfo.InvariantCulture),
        ];
        // Every test is bounded by its agent's timeout (30 s at most) plus a guard; 96 of them 8 at a time fit well within this.
        var limit = TimeSpan.FromMinutes(2) * (runs + 2);
        var run = await lab.Lab.ExecCaptureAsync("n1", command, limit, CancellationToken.None);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"the test-cycle worker exited {run.ExitCode}: {run.Stderr.Trim()}");
        }

        var cycles = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonSerializer.Deserialize<CycleReport>(l, Json)!)
            .ToList();
        if (cycles.Count != runs + 1)
        {
            throw new InvalidOperationException($"the worker reported {cycles.Count} cycles instead of {runs + 1}:\n{run.Stdout}{run.Stderr}");
        }

        var types = cycles[0].Types.Select(t => t.Type).ToList();
        var table = new TextTable($"test-cycle: one cycle of {Targets} x 3 tests, {Parallel} at once; median of {runs} cycles after a warm-up",
            ["cycle", "wall ms", "CPU ms", "worked", .. types.Select(t => $"{t} test ms")]);
        foreach (var cycle in cycles)
        {
            table.AddText([Label(cycle), TextTable.Cell(cycle.WallMs), TextTable.Cell(cycle.CpuMs), $"{cycle.Worked}/{cycle.Total}",
                .. types.Select(t => TextTable.Cell(cycle.Types.First(x => x.Type == t).MedianMs))]);
            foreach (var failure in cycle.Failures)
            {
                output.WriteLine($"  cycle {cycle.Cycle}: {failure}");
            }
        }

        var measured = cycles.Skip(1).ToList();
        table.AddText(["median", TextTable.Cell(Stats.Median(measured.Select(c => c.WallMs))), TextTable.Cell(Stats.Median(measured.Select(c => c.CpuMs))),
            $"{Stats.Median(measured.Select(c => (double)c.Worked)):F0}/{measured[0].Total}",
            .. types.Select(t => TextTable.Cell(Stats.Median(measured.Select(c => c.Types.First(x => x.Type == t).MedianMs))))]);
        table.Write(output);
        output.WriteLine("(CPU = the worker process plus every tool it ran: ipmitool, fence_ipmilan; per-type columns: median duration of one test)");
    }

    private static string Label(CycleReport cycle) => cycle.Cycle == 0 ? "0 (warm-up)" : cycle.Cycle.ToString(CultureInfo.InvariantCulture);

    /// <summary>The dotnet executable of the runtime this process runs on (…/dotnet/shared/Microsoft.NETCore.App/VERSION/).</summary>
    private static string DotnetHost()
    {
        var host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(host) ? host : "/usr/bin/dotnet";
    }
}
