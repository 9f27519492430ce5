using System.Globalization;
using Microsoft.Extensions.Logging;
using Palisade.Lab;
using Palisade.Scenarios;
using Palisade.Scenarios.Chaos;

namespace Palisade.Cli;

/// <summary><c>palisade lab chaos [--runs N] [--seed S] [--config FILE]</c>: random fault schedules, each audited.</summary>
internal static class ChaosCommand
{
    public const string Usage = """
        usage: palisade lab chaos [--runs N] [--seed S] [--config FILE]

        Brings a lab up from FILE (default: the demo cluster), then runs N random fault schedules (power off,
        kill -9 palisaded, interconnect cuts and splits, BMC outages, monitor failures, random gaps). After each,
        every fault is repaired and the run is audited: the service never ran on two nodes at once, both sides of
        a split were never fenced, and the group was Online again within 30 s of the last repair. Prints the seed
        of every failing run and keeps its logs in /var/tmp/palisade-chaos/seed-S; a lab that does not come back
        fails that run and the next starts from a fresh lab. Exits 1 if any failed. Default: 10 runs, seed from
        the clock (printed).
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        if (args.Contains("-h") || args.Contains("--help"))
        {
            stdout.WriteLine(Usage);
            return 0;
        }

        var runs = Number(args, "--runs") ?? 10;
        var seed = Number(args, "--seed") ?? Environment.TickCount & 0xFFFFF;
        var config = Options.Value(args, "--config") ?? DemoRunner.DefaultConfig;
        if (Options.Positional(args, "--runs", "--seed", "--config") is [var extra, ..])
        {
            throw new UsageException($"unexpected argument '{extra}'");
        }

        if (runs < 1)
        {
            throw new UsageException("--runs must be at least 1");
        }

        stdout.WriteLine($"chaos: {runs} runs from seed {seed} on {config}");
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        var lab = new LabController(new LabOptions(), loggers, TimeProvider.System);
        var results = await new ChaosRunner(lab, stdout).RunAsync(config, runs, seed, CancellationToken.None).ConfigureAwait(false);
        return results.All(r => r.Violations.Count == 0) ? 0 : 1;
    }

    private static int? Number(string[] args, string name)
    {
        if (Options.Value(args, name) is not { } text)
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new UsageException($"{name} takes a number, got '{text}'");
    }
}
