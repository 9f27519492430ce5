using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LabStatus))]
internal sealed partial class LabStatusJson : JsonSerializerContext;

/// <summary><c>palisade lab ...</c>: the arguments after "lab". Exit codes: 0 ok, 1 failure, 2 usage.</summary>
public static class LabCli
{
    private const int Ok = 0;
    private const int Failure = 1;
    private const int Usage = 2;

    private const string Help = """
        usage: palisade lab <command>

          up [--nodes N | --config FILE]   build a lab (default 3 nodes, at most 32) and wait until it has formed
          down                             remove the lab: processes, namespaces, state (also after a crash)
          status [--output text|json]      nodes, addresses, power (read from each BMC), switch links
          exec NODE -- CMD [ARG...]        run a command inside a node (absolute paths; cwd is /)
          power NODE on|off|reset|status   power through the node's BMC over IPMI
          panic NODE [--interval SECONDS]  crash the node: processes gone, power on, its kdump kernel announces
                                           itself (fence_kdump, UDP 7410) every SECONDS (default 1)
          bmc NODE down|up                 take both BMCs of the node (IPMI, Redfish) off the network, or back
          cut NODE [--all]                 take the node's interconnect link down (--all: admin link too)
          split NODE[,NODE...]             move these nodes' interconnect to a bridge of their own (a split into two parts)
          heal NODE                        bring both of the node's links up again, on the main interconnect
          link NODE IF down|up             set a link inside the node down or up: ic0 (interconnect), adm0 (admin),
                                           mon0 (spare, for nic monitors; mon0-peer down takes its carrier)
          nic-fail NODE IF [--clear]       link IF of the node down, then its Redfish BMC emits the event
                                           NetworkDevice.1.0.CableRemoved (--clear: link up, CableInserted)
          switch -- CMD [ARG...]           run a command in pal-sw, the outside host on both LANs

        Every node has two BMCs at the same address: IPMI (UDP 623, cipher suite 3) and Redfish (HTTPS 443,
        certificate signed by the lab CA, /etc/palisade/lab-ca.pem on nodes); user admin, password in
        /etc/palisade/bmc.pass on nodes. State lives in /var/lib/palisade-lab; nodes run $PALISADE_DAEMON
        (default /usr/local/sbin/palisaded) when it exists, corosync only otherwise.
        """;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
        {
            (args.Length == 0 ? stderr : stdout).WriteLine(Help);
            return args.Length == 0 ? Usage : Ok;
        }

        if (LabHelperCli.Handles(args[0]))
        {
            return await RunHelperAsync(args, stderr);
        }

        // exec/switch hand the terminal to the child: Ctrl+C is its to handle, the CLI just waits.
        var interactive = args[0] is "exec" or "switch";
        using var cts = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, ctx => Interrupt(ctx, cts, interactive));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx => Interrupt(ctx, cts, interactive: false));
        using var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Information)
            .AddProvider(new TextWriterLoggerProvider(stderr, LogLevel.Information)));
        var lab = new LabController(new LabOptions(), loggers, TimeProvider.System);
        try
        {
            return await DispatchAsync(lab, args, stdout, cts.Token);
        }
        catch (LabUsageException e)
        {
            stderr.WriteLine($"lab: {e.Message}");
            return Usage;
        }
        catch (Exception e) when (e is LabException or TimeoutException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"lab: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("lab: interrupted");
            return Failure;
        }
    }

    private static async Task<int> RunHelperAsync(string[] args, TextWriter stderr)
    {
        try
        {
            return await LabHelperCli.RunAsync(args[0], args[1..], stderr);
        }
        catch (LabUsageException e)
        {
            stderr.WriteLine($"lab: {e.Message}");
            return Usage;
        }
        catch (Exception e) when (e is LabException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException
            or System.Security.Cryptography.CryptographicException)
        {
            stderr.WriteLine($"lab: {args[0]}: {e.Message}");
            return Failure;
        }
    }

    private static void Interrupt(PosixSignalContext context, CancellationTokenSource cts, bool interactive)
    {
        context.Cancel = true;
        if (!interactive)
        {
            cts.Cancel();
        }
    }

    private static async Task<int> DispatchAsync(LabController lab, string[] args, TextWriter stdout, CancellationToken ct)
    {
        var rest = args.AsSpan(1).ToArray();
        switch (args[0])
        {
            case "up":
                var (nodes, config) = ParseUp(rest);
                WriteTable(await lab.UpAsync(nodes, config, ct), stdout);
                return Ok;
            case "down":
                NoMoreArgs(rest, "down");
                await lab.DownAsync(ct);
                return Ok;
            case "status":
                await WriteStatusAsync(lab, ParseOutput(rest), stdout, ct);
                return Ok;
            case "exec":
                var (node, command) = ParseCommand(rest, needsNode: true);
                return await lab.ExecAsync(node!, command, ct);
            case "switch":
                return await lab.RunInSwitchAsync(ParseCommand(rest, needsNode: false).Command, ct);
            case "power":
                if (rest.Length != 2)
                {
                    throw new LabUsageException("usage: palisade lab power NODE on|off|reset|status");
                }

                stdout.WriteLine($"{rest[0]}: {await lab.PowerAsync(rest[0], rest[1], ct)}");
                return Ok;
            case "panic":
                var (panicNode, interval) = ParsePanic(rest);
                await lab.PanicAsync(panicNode, interval, ct);
                stdout.WriteLine($"{panicNode}: panicked");
                return Ok;
            case "bmc":
                var (bmcNode, up) = rest switch
                {
                    [var n, "up"] => (n, true),
                    [var n, "down"] => (n, false),
                    _ => throw new LabUsageException("usage: palisade lab bmc NODE down|up"),
                };
                await lab.SetBmcAsync(bmcNode, up, ct);
                stdout.WriteLine($"{bmcNode}: BMCs {(up ? "up" : "down")}");
                return Ok;
            case "cut":
                var (cutNode, all) = ParseCut(rest);
                await lab.CutAsync(cutNode, all, ct);
                return Ok;
            case "split":
                await lab.SplitAsync(rest.Length > 0
                    ? [.. rest.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))]
                    : throw new LabUsageException("usage: palisade lab split NODE[,NODE...]"), ct);
                return Ok;
            case "link":
                var (linkNode, link, linkUp) = rest switch
                {
                    [var n, var l, "up"] => (n, l, true),
                    [var n, var l, "down"] => (n, l, false),
                    _ => throw new LabUsageException("usage: palisade lab link NODE IF down|up"),
                };
                await lab.SetLinkAsync(linkNode, link, linkUp, ct);
                stdout.WriteLine($"{linkNode}: link {link} {(linkUp ? "up" : "down")}");
                return Ok;
            case "nic-fail":
                var (nicNode, nic, clear) = rest switch
                {
                    [var n, var l] => (n, l, false),
                    [var n, var l, "--clear"] => (n, l, true),
                    _ => throw new LabUsageException("usage: palisade lab nic-fail NODE IF [--clear]"),
                };
                await lab.NicFailAsync(nicNode, nic, clear, ct);
                stdout.WriteLine($"{nicNode}: link {nic} {(clear ? "up, CableInserted" : "down, CableRemoved")} reported by its Redfish BMC");
                return Ok;
            case "heal":
                await lab.HealAsync(rest.Length == 1 ? rest[0] : throw new LabUsageException("usage: palisade lab heal NODE"), ct);
                return Ok;
            default:
                throw new LabUsageException($"unknown lab command '{args[0]}' (see 'palisade lab --help')");
        }
    }

    private static (int? Nodes, string? Config) ParseUp(string[] rest)
    {
        int? nodes = null;
        string? config = null;
        for (var i = 0; i < rest.Length; i++)
        {
            var value = i + 1 < rest.Length ? rest[i + 1] : null;
            switch (rest[i])
            {
                case "--nodes" when value is not null:
                    nodes = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                        ? n
                        : throw new LabUsageException($"--nodes needs a positive number, got '{value}'");
                    i++;
                    break;
                case "--config" when value is not null:
                    config = value;
                    i++;
                    break;
                default:
                    throw new LabUsageException("usage: palisade lab up [--nodes N | --config FILE]");
            }
        }

        return (nodes, config);
    }

    private static async Task WriteStatusAsync(LabController lab, string format, TextWriter stdout, CancellationToken ct)
    {
        var status = await lab.StatusAsync(ct);
        if (format == "json")
        {
            stdout.WriteLine(JsonSerializer.Serialize(status, LabStatusJson.Default.LabStatus));
        }
        else
        {
            WriteTable(status, stdout);
        }
    }

    private static (string Node, TimeSpan? Interval) ParsePanic(string[] rest) => rest switch
    {
        [var node] => (node, null),
        [var node, "--interval", var seconds] => (node, LabHelperCli.ParseInterval(seconds)),
        _ => throw new LabUsageException("usage: palisade lab panic NODE [--interval SECONDS]"),
    };

    private static (string Node, bool AllLinks) ParseCut(string[] rest) => rest switch
    {
        [var node] => (node, false),
        [var node, "--all"] => (node, true),
        _ => throw new LabUsageException("usage: palisade lab cut NODE [--all]"),
    };

    private static string ParseOutput(string[] rest) => rest switch
    {
        [] => "text",
        ["--output", "text" or "json"] => rest[1],
        _ => throw new LabUsageException("usage: palisade lab status [--output text|json]"),
    };

    private static (string? Node, IReadOnlyList<string> Command) ParseCommand(string[] rest, bool needsNode)
    {
        var start = 0;
        string? node = null;
        if (needsNode)
        {
            if (rest.Length == 0 || rest[0] == "--")
            {
                throw new LabUsageException("usage: palisade lab exec NODE -- CMD [ARG...]");
            }

            node = rest[0];
            start = 1;
        }

        if (start < rest.Length && rest[start] == "--")
        {
            start++;
        }

        if (start >= rest.Length)
        {
            throw new LabUsageException(needsNode ? "usage: palisade lab exec NODE -- CMD [ARG...]" : "usage: palisade lab switch -- CMD [ARG...]");
        }

        return (node, rest[start..]);
    }

    private static void NoMoreArgs(string[] rest, string verb)
    {
        if (rest.Length > 0)
        {
            throw new LabUsageException($"'{verb}' takes no arguments");
        }
    }

    private static void WriteTable(LabStatus status, TextWriter stdout)
    {
        stdout.WriteLine($"cluster {status.Cluster}");
        const string Row = "{0,-12} {1,4}  {2,-10} {3,-13} {4,-13} {5,-13} {6,-5} {7,-8} {8}";
        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, Row,
            "NODE", "ID", "POWER", "INTERCONNECT", "ADMIN", "BMC", "IPMI", "REDFISH", "LINKS"));
        foreach (var n in status.Nodes)
        {
            stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, Row,
                n.Name, n.Id, n.Panicked ? n.Power + " (panic)" : n.Power, n.Interconnect, n.Admin, n.Bmc, n.Ipmi, n.Redfish, Links(n)));
        }
    }

    private static string Links(LabNodeStatus n) => (n.InterconnectUp, n.AdminUp) switch
    {
        (true, true) => "up",
        (false, true) => "ic-cut",
        (true, false) => "adm-cut",
        _ => "all-cut",
    };
}
