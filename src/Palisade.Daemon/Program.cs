using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Palisade.Configuration;
using Palisade.Core.Control;
using Palisade.Corosync;
using Palisade.Daemon.Service;

namespace Palisade.Daemon;

internal static class Program
{
    private const string Usage = "usage: palisaded [--config FILE] [--socket PATH] [--state-dir DIR]\n" +
        "  --config FILE     cluster configuration (default /etc/palisade/palisade.yaml)\n" +
        "  --socket PATH     control socket (default /run/palisade/palisaded.sock)\n" +
        "  --state-dir DIR   persistent state, e.g. the fence history (default /var/lib/palisade)\n";

    public static async Task<int> Main(string[] args)
    {
        var configPath = "/etc/palisade/palisade.yaml";
        var socketPath = ControlProtocol.DefaultSocketPath;
        var stateDir = "/var/lib/palisade";
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--config" when i + 1 < args.Length:
                    configPath = args[++i];
                    break;
                case "--socket" when i + 1 < args.Length:
                    socketPath = args[++i];
                    break;
                case "--state-dir" when i + 1 < args.Length:
                    stateDir = args[++i];
                    break;
                case "-h" or "--help":
                    Console.Out.Write(Usage);
                    return 0;
                default:
                    Console.Error.Write($"palisaded: unexpected argument '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        var options = new HostOptions { ConfigPath = configPath, StateDirectory = stateDir };
        var format = DaemonLogging.FromEnvironment();
        using var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Debug)
            .AddFilter(options.Debug.Allows)
            .AddDaemonConsole(format));
        var log = loggers.CreateLogger("palisaded");
        return await RunAsync(options, socketPath, loggers, log).ConfigureAwait(false);
    }

    private static async Task<int> RunAsync(HostOptions options, string socketPath, ILoggerFactory loggers, ILogger log)
    {
        var configPath = options.ConfigPath;
        var loaded = ConfigLoader.LoadFile(configPath);
        if (!loaded.Ok)
        {
            foreach (var error in loaded.Errors)
            {
                await Console.Error.WriteLineAsync($"palisaded: {error}").ConfigureAwait(false);
            }

            return 2;
        }

        var config = loaded.Config!;
        var (instance, busy) = InstanceLock.Acquire(InstanceLock.PathFor(socketPath));
        if (instance is null)
        {
            await Console.Error.WriteLineAsync($"palisaded: {busy}").ConfigureAwait(false);
            return 2;
        }

        using var held = instance;
        CorosyncLink link;
        try
        {
            link = CorosyncLink.Open($"palisade-{config.Name}", loggers.CreateLogger("palisade.corosync"));
        }
        catch (CorosyncException ex)
        {
            await Console.Error.WriteLineAsync($"palisaded: {ex.Message}").ConfigureAwait(false);
            return 3;
        }

        using (link)
        {
            if (config.FindNode(link.LocalNodeId) is not { } local)
            {
                await Console.Error.WriteLineAsync($"palisaded: corosync node id {link.LocalNodeId} is not a node of {configPath}").ConfigureAwait(false);
                return 2;
            }

            if (local.Admin is not null)
            {
                var (key, problem) = Authkey.Load(options.AdvertKeyFile);
                if (key is null)
                {
                    await Console.Error.WriteLineAsync(
                        $"palisaded: {problem}; {local.Name} has an admin address, so it signs partition adverts with this key, the same file on every node").ConfigureAwait(false);
                    return 2;
                }

                options = options with { AdvertKey = key };
            }

            Log.Starting(log, config.Name, local.Name, local.Id, configPath);
            using var watchdog = await OpenWatchdogAsync(local, config, loggers);
            if (watchdog is null)
            {
                return 2;
            }

            var time = TimeProvider.System;
            using var adminLan = new UdpAdminLan();
            var markers = new Agents.StartMarkers(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(socketPath)) ?? "/run/palisade", "started"));
            var ports = new HostPorts(link, new ProcessResourceAgents(loggers, markers),
                new CatalogShutdownAgents(new Agents.ShutdownAgentServices(loggers, time, Agents.ShutdownAgentServices.AddressesOf(local))),
                adminLan, new DirectoryStateDisk(options.StateDirectory), time, loggers);
            var host = new ClusterHost(config, local, ports, options, watchdog);
            var service = new ServiceManager();
            using var stopping = new CancellationTokenSource();
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; service.Stopping(); stopping.Cancel(); });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; service.Stopping(); stopping.Cancel(); });
            // Messages go straight to the intake (thread-safe, journaled in order); everything else through the loop.
            using var control = new ControlServer(socketPath, request => request.Command switch
            {
                "notify" => host.NotifyAsync(request.Notice),
                "notify-batch" => host.NotifyBatchAsync(request.Notices),
                _ => host.SubmitAsync(request),
            }, log, TimeProvider.System);
            control.Start();
            await using var sources = new Sources.NodeSources((notice, via) => host.Intake.AcceptAsync(notice, via), local.Name, time, loggers.CreateLogger("palisade.sources"));
            await using var intake = config.Intake is { } intakeConfig
                ? await Intake.IntakeServer.StartAsync(intakeConfig, local, IntakeRequestsOf(host, sources), time, loggers.CreateLogger("palisade.intake")).ConfigureAwait(false)
                : null;
            sources.Start(config, local);
            await using var api = config.Api is { } apiConfig
                ? await Api.ApiServer.StartAsync(apiConfig, local, new Api.ApiBackend(host.SubmitAsync, host.Feed, () => host.JournalPath, host.FenceMetrics, host.Incidents, host.AlertMetrics),
                    time, loggers.CreateLogger("palisade.api")).ConfigureAwait(false)
                : null;
            var run = host.RunAsync(stopping.Token);
            if (await Task.WhenAny(host.Joined, run).ConfigureAwait(false) == host.Joined)
            {
                // Joined, and the control socket (and intake and API, when configured) already listen.
                service.Ready();
                Log.Ready(log, local.Name, service.Enabled ? "told systemd" : "not under systemd");
            }

            var code = await run.ConfigureAwait(false);
            service.Stopping();
            if (code == 0)
            {
                watchdog.Disarm(); // a clean leave; any other exit leaves the watchdog armed, like a crash
            }

            Log.Exiting(log, code);
            return code;
        }
    }

    /// <summary>What the HTTPS endpoint may ask of this palisaded: the same intake and group commands as the local CLI.</summary>
    private static Intake.IntakeRequests IntakeRequestsOf(ClusterHost host, Sources.NodeSources sources)
    {
        return new Intake.IntakeRequests(
            (notice, via) => host.Intake.AcceptAsync(notice, via),
            group => host.SubmitAsync(new ControlRequest("group", Action: "move", Group: group)),
            host.RunRequestScriptAsync,
            sources.OnPushed);
    }

    /// <summary>The node's watchdog, opened (which arms it); null after printing why it cannot be used.</summary>
    private static async Task<IWatchdog?> OpenWatchdogAsync(Core.Configuration.NodeConfig local, Core.Configuration.ClusterConfig config, ILoggerFactory loggers)
    {
        if (local.Watchdog is not { } path)
        {
            return NoWatchdog.Instance;
        }

        var log = loggers.CreateLogger("palisade.watchdog");
        var timeout = config.Shutdown.WatchdogTimeout;
        var (device, problem) = await WatchdogDevice.OpenAsync(path, timeout, WatchdogDevice.SysfsRoot, log).ConfigureAwait(false);
        if (device is null)
        {
            await Console.Error.WriteLineAsync($"palisaded: {config.SourcePath}: nodes[{config.Nodes.IndexOf(local)}].watchdog ({local.Name}): {problem}").ConfigureAwait(false);
            return null;
        }

        var feeder = new WatchdogFeeder(device, path, timeout, TimeProvider.System, log);
        feeder.Start();
        return feeder;
    }
}
