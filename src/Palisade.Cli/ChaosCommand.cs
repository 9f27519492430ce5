using Microsoft.Extensions.Logging;
using Palisade.Lab;
using Palisade.Scenarios;
using Palisade.Scenarios.Chaos;

namespace Palisade.Cli;

/// <summary><c>palisade lab chaos [--runs N] [--seed S] [--config FILE]</c>: random fault schedules, each audited.</summary>
internal static class ChaosCommand
{
    public const string Description = """
        Brings a lab up from FILE (default: the demo cluster), then runs N random fault schedules (power off,
        kill -9 palisaded, interconnect cuts and splits, BMC outages, monitor failures, random gaps). After each,
        every fault is repaired and the run is audited: the service never ran on two nodes at once, both sides of
        a split were never fenced, and the group was Online again within 30 s of the last repair. Prints the seed
        of every failing run and keeps its logs in /var/tmp/palisade-chaos/seed-S; a lab that does not come back
        fails that run and the next starts from a fresh lab. Exits 1 if any failed.
        """;

    /// <summary>Runs <paramref name="runs"/> schedules from <paramref name="seed"/> (default: from the clock, printed).</summary>
    public static async Task<int> RunAsync(int runs, int? seed, string? configFile, TextWriter stdout)
    {
        var config = configFile ?? DemoRunner.DefaultConfig;
        var start = seed ?? Environment.TickCount & 0xFFFFF;
        stdout.WriteLine($"chaos: {runs} runs from seed {start} on {config}");
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        var lab = new LabController(new LabOptions(), loggers, TimeProvider.System);
        var results = await new ChaosRunner(lab, stdout).RunAsync(config, runs, start, CancellationToken.None).ConfigureAwait(false);
        return results.All(r => r.Violations.Count == 0) ? 0 : 1;
    }
}
