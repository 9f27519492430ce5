using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Palisade.Lab.Kdump;
using Palisade.Lab.Redfish;

namespace Palisade.Lab;

/// <summary>
/// The hidden <c>palisade lab</c> subcommands the lab itself starts inside its namespaces (see <see cref="LabHelper"/>).
/// They log to stderr with timestamps (the lab sends it to a file) and run until SIGTERM or SIGKILL.
/// </summary>
internal static class LabHelperCli
{
    public const string RedfishBmc = "redfish-bmc";
    public const string KdumpAnnounce = "kdump-announce";
    public const string Watchdog = "watchdog";

    private const string RedfishUsage = "usage: palisade lab redfish-bmc --state DIR";
    private const string WatchdogUsage = "usage: palisade lab watchdog --node NODE --fifo PATH --timeout SECONDS --state DIR";
    private const string KdumpUsage = "usage: palisade lab kdump-announce --from ADDR --to ADDR[,ADDR...] [--from ADDR --to ADDR[,ADDR...]]... [--interval SECONDS]";

    public static bool Handles(string verb) => verb is RedfishBmc or KdumpAnnounce or Watchdog;

    public static async Task<int> RunAsync(string verb, string[] rest, TextWriter stderr)
    {
        // Parse first: a usage error must not leave anything running.
        Func<TextWriter, ILogger, CancellationToken, Task> run = verb switch
        {
            RedfishBmc => ParseRedfish(rest),
            Watchdog => ParseWatchdog(rest),
            _ => ParseKdump(rest),
        };

        using var cts = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            cts.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx =>
        {
            ctx.Cancel = true;
            cts.Cancel();
        });
        using var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddProvider(new TextWriterLoggerProvider(stderr, LogLevel.Information, TimeProvider.System)));
        await run(stderr, loggers.CreateLogger("Palisade.Lab." + verb), cts.Token);
        return 0;
    }

    private static Func<TextWriter, ILogger, CancellationToken, Task> ParseRedfish(string[] rest) => rest switch
    {
        ["--state", var dir] when Path.IsPathRooted(dir) => (log, _, ct) => RedfishBmcServer.RunAsync(dir, log, ct),
        _ => throw new LabUsageException(RedfishUsage),
    };

    private static Func<TextWriter, ILogger, CancellationToken, Task> ParseWatchdog(string[] rest) => rest switch
    {
        ["--node", var node, "--fifo", var fifo, "--timeout", var seconds, "--state", var dir]
            when Path.IsPathRooted(fifo) && Path.IsPathRooted(dir) && !fifo.StartsWith("/dev/", StringComparison.Ordinal)
                && double.TryParse(seconds, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var timeout) && timeout > 0 =>
            (_, logger, ct) => new Watchdog.SimulatedWatchdog(node, fifo, TimeSpan.FromSeconds(timeout), new LabPaths(dir).PowerScript,
                new LabPaths(dir).Ledger, TimeProvider.System, logger).RunAsync(ct),
        _ => throw new LabUsageException(WatchdogUsage),
    };

    private static Func<TextWriter, ILogger, CancellationToken, Task> ParseKdump(string[] rest)
    {
        var routes = new List<KdumpRoute>();
        var interval = TimeSpan.FromSeconds(1);
        IPAddress? from = null;
        for (var i = 0; i < rest.Length; i += 2)
        {
            var value = i + 1 < rest.Length ? rest[i + 1] : throw new LabUsageException(KdumpUsage);
            switch (rest[i])
            {
                case "--from" when from is null:
                    from = Address(value);
                    break;
                case "--to" when from is not null:
                    routes.Add(new KdumpRoute(from, [.. value.Split(',').Select(Address)]));
                    from = null;
                    break;
                case "--interval":
                    interval = ParseInterval(value);
                    break;
                default:
                    throw new LabUsageException(KdumpUsage);
            }
        }

        if (from is not null || routes.Count == 0)
        {
            throw new LabUsageException(KdumpUsage);
        }

        return (_, logger, ct) => new KdumpAnnouncer(routes, interval, TimeProvider.System, logger).RunAsync(ct);
    }

    /// <summary>Seconds between announcements: 0.1 to 3600 (fence_kdump's own default is 10).</summary>
    public static TimeSpan ParseInterval(string value) =>
        double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) && seconds is >= 0.1 and <= 3600
            ? TimeSpan.FromSeconds(seconds)
            : throw new LabUsageException($"--interval needs seconds between 0.1 and 3600, got '{value}'");

    private static IPAddress Address(string value) =>
        IPAddress.TryParse(value, out var address) && address.AddressFamily == AddressFamily.InterNetwork
            ? address
            : throw new LabUsageException($"'{value}' is not an IPv4 address ({KdumpUsage})");
}
