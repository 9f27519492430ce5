using Microsoft.Extensions.Logging;
using Palisade.Lab.Redfish;

namespace Palisade.Lab;

/// <summary>
/// The lab: N corosync nodes on one machine, each in its own network/mount/UTS namespaces, wired to a
/// switch namespace, each with two BMCs (ipmi_sim and Redfish) that really power it off and on. One lab at a time.
/// </summary>
public sealed class LabController
{
    private const string DefaultDaemon = "/usr/local/sbin/palisaded";
    private static readonly TimeSpan PowerLimit = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan BmcLimit = TimeSpan.FromSeconds(20);
    internal static readonly TimeSpan DefaultKdumpInterval = TimeSpan.FromSeconds(1);
    private static readonly string[] RequiredTools =
    [
        "ip", "bash", "setsid", "env", "unshare", "nsenter", "flock", "kill", "corosync", "corosync-cfgtool",
        "corosync-quorumtool", "ipmi_sim", "ipmitool", "curl",
    ];

    private readonly LabOptions options;
    private readonly LabPaths paths;
    private readonly LabFiles files;
    private readonly ProcessRunner runner;
    private readonly LabNetwork network;
    private readonly LabBmc bmc;
    private readonly LabHelper helper;
    private readonly LabRedfish redfish;
    private readonly LabFaults faults;
    private readonly NodeProbe probe;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public LabController(LabOptions options, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        this.options = options;
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        logger = loggers.CreateLogger("Palisade.Lab");
        paths = new LabPaths(options.StateRoot);
        files = new LabFiles(paths);
        runner = new ProcessRunner(time);
        network = new LabNetwork(runner, time, logger);
        bmc = new LabBmc(runner, paths, time, logger);
        helper = new LabHelper(runner, options.HelperCommand);
        redfish = new LabRedfish(runner, paths, helper, time, logger);
        faults = new LabFaults(paths, network, helper, runner, time, logger);
        probe = new NodeProbe(runner, paths);
    }

    /// <summary>The lab's state directory (scripts, configs, node directories, logs).</summary>
    public string StatePath => paths.Root;

    /// <summary>One line per BMC power action or panic: "&lt;unix ms&gt; &lt;node&gt; power-off|power-on|panic".</summary>
    public string LedgerPath => paths.Ledger;

    /// <summary>The lab CA certificate on the host (nodes have it at <see cref="LabBmcAccess.CaFileOnNode"/>).</summary>
    public string CaCertificatePath => paths.CaCertificate;

    /// <summary>Builds the lab from <paramref name="nodes"/> (default 3) or a config file; returns once the cluster has formed.</summary>
    public async Task<LabStatus> UpAsync(int? nodes, string? configPath, CancellationToken ct)
    {
        if (nodes is not null && configPath is not null)
        {
            throw new LabUsageException("give either a node count or a config file, not both");
        }

        var plan = configPath is null ? LabConfigBuilder.Generate(nodes ?? LabConfigBuilder.DefaultNodes) : LabConfigBuilder.FromFile(configPath);
        CheckStateRoot();
        await EnsureNoLabAsync(ct);
        CheckTools();
        helper.Resolve();
        foreach (var note in plan.Replaced)
        {
            Log.AddressesReplaced(logger, note);
        }

        foreach (var note in plan.Added)
        {
            Log.AgentAdded(logger, note);
        }

        var daemon = options.DaemonPath ?? Environment.GetEnvironmentVariable("PALISADE_DAEMON") ?? DefaultDaemon;
        var daemonPresent = File.Exists(daemon)
            && (File.GetUnixFileMode(daemon) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        if (!daemonPresent)
        {
            Log.NoDaemon(logger, daemon);
        }

        var started = time.GetTimestamp();
        try
        {
            await new LabBringUp(paths, files, network, bmc, redfish, probe, runner, time, logger, new Watchdog.LabWatchdogs(paths, helper, runner))
                .RunAsync(plan, daemon, daemonPresent, ct);
        }
        catch (Exception e)
        {
            Log.UpFailed(logger, e.Message);
            await RemovePartialLabAsync();
            if (e is OperationCanceledException)
            {
                throw;
            }

            throw new LabException($"lab up failed (the partial lab was removed): {e.Message}", e);
        }

        Log.LabReady(logger, plan.Config.Name, plan.Nodes.Count, (long)time.GetElapsedTime(started).TotalMilliseconds);
        return await StatusAsync(ct);
    }

    /// <summary>Kills everything in the lab's namespaces, deletes them and the state directory. Idempotent; needs no state.</summary>
    public async Task DownAsync(CancellationToken ct)
    {
        CheckStateRoot();
        var state = files.TryReadState();
        var namespaces = await network.ListLabNamespacesAsync(ct);
        if (state is null)
        {
            Log.DownWithoutState(logger, paths.Root, namespaces.Count == 0 ? "none" : string.Join(' ', namespaces));
        }

        // BMCs first, so that nothing powers a node on while it is being removed; the switch last.
        var ordered = namespaces
            .OrderBy(ns => ns == LabTopology.BmcNamespace ? 0 : ns == LabTopology.SwitchNamespace ? 2 : 1)
            .ThenBy(ns => ns, StringComparer.Ordinal);
        foreach (var ns in ordered)
        {
            await network.RemoveNamespaceAsync(ns, ct);
        }

        files.RemoveState();
        LabFiles.RemoveHostMountPoints(state?.CreatedHostDirs ?? []);
        Log.LabDown(logger, namespaces.Count, paths.Root);
    }

    public async Task<LabStatus> StatusAsync(CancellationToken ct)
    {
        var state = RequireState();
        var ports = await network.SwitchPortsAsync(ct);
        var reachable = await network.BmcAddressesAsync(ct);
        var nodes = state.Nodes.Select(n => n.ToNode()).ToList();
        var rows = await Task.WhenAll(nodes.Select(async n =>
        {
            // A BMC taken off the network is not asked: the question would only wait for its timeout.
            string? ipmi = null, viaRedfish = null;
            if (reachable.Contains(n.BmcAddress))
            {
                var ipmiAnswer = bmc.PowerStatusAsync(n, ct);
                var redfishAnswer = redfish.PowerStateAsync(n, ct);
                (ipmi, viaRedfish) = (await ipmiAnswer, await redfishAnswer);
            }

            return new LabNodeStatus(
                n.Name,
                n.Id,
                ipmi ?? viaRedfish ?? "unknown",
                n.InterconnectAddress,
                n.AdminAddress,
                n.BmcAddress,
                ports.GetValueOrDefault(n.SwitchInterconnectPort),
                ports.GetValueOrDefault(n.SwitchAdminPort),
                ipmi is null ? "down" : "up",
                viaRedfish is null ? "down" : "up",
                File.Exists(paths.PanicMarker(n.Name)));
        }));
        return new LabStatus(state.Cluster, rows);
    }

    /// <summary>Runs a command inside a node with the caller's stdio; returns its exit code.</summary>
    public async Task<int> ExecAsync(string node, IReadOnlyList<string> command, CancellationToken ct)
    {
        var pid = await RunningPidAsync(node, command, ct);
        return await runner.RunInheritedAsync("nsenter", NodeProbe.EnterArgs(pid, command), ct);
    }

    /// <summary>Runs a command inside a node and captures its output; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<ExecResult> ExecCaptureAsync(string node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct)
    {
        var pid = await RunningPidAsync(node, command, ct);
        return await probe.RunInsideAsync(pid, command, timeout, ct);
    }

    /// <summary>Power through the node's BMC over IPMI: "on", "off", "reset" or "status"; returns "on" or "off".</summary>
    public async Task<string> PowerAsync(string node, string action, CancellationToken ct)
    {
        var target = RequireNode(node);
        var started = time.GetTimestamp();
        var expected = action switch
        {
            "on" or "reset" => "on",
            "off" => "off",
            "status" => null,
            _ => throw new LabUsageException($"unknown power action '{action}': use on, off, reset or status"),
        };
        if (expected is null)
        {
            return await bmc.PowerStatusAsync(target, ct)
                ?? throw new LabException($"the BMC of {node} ({target.BmcAddress}) does not answer");
        }

        // A BMC may refuse a session for a moment (ipmi_sim has few, and a killed client leaves one behind): the
        // command is idempotent, so it is sent again until the BMC takes it.
        await Poll.UntilAsync(time, PowerLimit, TimeSpan.FromMilliseconds(500), $"the BMC of {node} to take 'power {action}'",
            async c =>
            {
                try
                {
                    await bmc.PowerAsync(target, action, c);
                    return null;
                }
                catch (LabException e)
                {
                    return e.Message;
                }
            },
            ct);
        await Poll.UntilAsync(time, PowerLimit, TimeSpan.FromMilliseconds(50), $"the BMC of {node} to report power {expected}",
            async c => (await bmc.PowerStatusAsync(target, c)) is var p && p == expected ? null : $"it reports {p ?? "nothing"}",
            ct);
        Log.PowerChanged(logger, node, action, expected, (long)time.GetElapsedTime(started).TotalMilliseconds);
        return expected;
    }

    /// <summary>
    /// The node crashes and its crash-dump kernel announces itself with the fence_kdump protocol (UDP 7410) to every
    /// other node, from the node's interconnect and admin addresses, every <paramref name="interval"/> (default 1 s).
    /// Its processes are gone, its BMCs keep reporting power on; power it off (or reset it) to end that.
    /// </summary>
    public async Task PanicAsync(string node, TimeSpan? interval, CancellationToken ct)
    {
        var target = RequireNode(node);
        var every = interval ?? DefaultKdumpInterval;
        if (every < TimeSpan.FromMilliseconds(100) || every > TimeSpan.FromHours(1))
        {
            throw new LabUsageException($"the kdump interval must be between 0.1 s and 3600 s (got {every.TotalSeconds} s)");
        }

        await faults.PanicAsync(target, [.. RequireState().Nodes.Select(n => n.ToNode())], every, ct);
    }

    /// <summary>
    /// Takes both BMCs of the node (IPMI and Redfish) off the network, or brings them back (returns once both answer).
    /// The node's power does not change.
    /// </summary>
    public async Task SetBmcAsync(string node, bool up, CancellationToken ct)
    {
        var target = RequireNode(node);
        await faults.SetBmcAsync(target, up, async c =>
        {
            var ipmi = await bmc.PowerStatusAsync(target, c);
            var viaRedfish = await redfish.PowerStateAsync(target, c);
            return ipmi is not null && viaRedfish is not null ? null
                : $"IPMI {(ipmi is null ? "silent" : "answers")}, Redfish {(viaRedfish is null ? "silent" : "answers")}";
        }, BmcLimit, ct);
    }

    /// <summary>Takes the node's interconnect port down in pal-sw (with <paramref name="allLinks"/>, its admin port too).</summary>
    public async Task CutAsync(string node, bool allLinks, CancellationToken ct)
    {
        var target = RequireNode(node);
        await network.SetPortAsync(target.SwitchInterconnectPort, up: false, ct);
        if (allLinks)
        {
            await network.SetPortAsync(target.SwitchAdminPort, up: false, ct);
        }

        Log.LinksChanged(logger, node, allLinks ? "interconnect and admin links" : "interconnect link", "down");
    }

    /// <summary>
    /// Splits the interconnect in two: the given nodes keep seeing each other on a bridge of their own, and no longer
    /// see the others. Their admin LAN is untouched. <see cref="HealAsync"/> puts a node back.
    /// </summary>
    public async Task SplitAsync(IReadOnlyList<string> nodes, CancellationToken ct)
    {
        var targets = nodes.Select(RequireNode).ToList();
        foreach (var target in targets)
        {
            await network.MoveToIslandAsync(target.SwitchInterconnectPort, ct);
        }

        Log.LinksChanged(logger, string.Join(",", nodes), "interconnect links (moved to their own bridge)", "split");
    }

    /// <summary>Brings both of the node's switch ports up again, on the main interconnect bridge.</summary>
    public async Task HealAsync(string node, CancellationToken ct)
    {
        var target = RequireNode(node);
        await network.RejoinInterconnectAsync(target.SwitchInterconnectPort, ct);
        await network.SetPortAsync(target.SwitchInterconnectPort, up: true, ct);
        await network.SetPortAsync(target.SwitchAdminPort, up: true, ct);
        Log.LinksChanged(logger, node, "interconnect and admin links", "up");
    }

    /// <summary>
    /// Sets link <paramref name="link"/> inside the node's own network namespace down or up, like a NIC losing its
    /// link: <c>ic0</c> (interconnect: corosync), <c>adm0</c> (admin LAN: BMCs, kdump), or <c>mon0</c> (carries
    /// nothing; for nic monitors) and its peer <c>mon0-peer</c> (down: mon0 loses its carrier). Works whatever the
    /// node's power; a power off and on brings ic0 and adm0 up again, not the others.
    /// </summary>
    public async Task SetLinkAsync(string node, string link, bool up, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(link);
        var target = RequireNode(node);
        var links = await network.NodeLinksAsync(target, ct);
        if (!links.ContainsKey(link))
        {
            throw new LabUsageException($"{node} has no link '{link}'; it has {string.Join(", ", links.Keys.Order(StringComparer.Ordinal))}");
        }

        await network.SetNodeLinkAsync(target, link, up, ct);
        Log.NodeLinkChanged(logger, node, link, up ? "up" : "down", target.Namespace);
    }

    /// <summary>
    /// A NIC of the node loses its cable: link <paramref name="link"/> goes down (as <see cref="SetLinkAsync"/>), then the
    /// node's Redfish BMC reports it as a NetworkDevice CableRemoved event, Critical. With <paramref name="clear"/> the
    /// link comes up again and the BMC reports CableInserted, OK. The link changes first: whoever acts on the event
    /// finds the NIC as reported.
    /// </summary>
    public async Task NicFailAsync(string node, string link, bool clear, CancellationToken ct)
    {
        await SetLinkAsync(node, link, up: clear, ct);
        var message = clear
            ? new EventMessage("NetworkDevice.1.0.CableInserted", [link], "OK",
                $"The network cable for port {link} has been inserted.", RedfishResources.System)
            : new EventMessage("NetworkDevice.1.0.CableRemoved", [link], "Critical",
                $"The network cable for port {link} has been removed.", RedfishResources.System);
        await redfish.SubmitEventAsync(RequireNode(node), message, ct);
    }

    /// <summary>Runs a command in pal-sw, the "outside" host on both LANs, with the caller's stdio.</summary>
    public async Task<int> RunInSwitchAsync(IReadOnlyList<string> command, CancellationToken ct)
    {
        RequireState();
        if (command.Count == 0)
        {
            throw new LabUsageException("no command given");
        }

        return await runner.RunInheritedAsync("ip", ["netns", "exec", LabTopology.SwitchNamespace, .. command], ct);
    }

    private LabState RequireState() =>
        files.TryReadState() ?? throw new LabException($"no lab is running (nothing in {paths.Root}); start one with 'palisade lab up'");

    private LabNode RequireNode(string name)
    {
        var state = RequireState();
        var node = state.Nodes.FirstOrDefault(n => n.Name == name)
            ?? throw new LabUsageException($"unknown node '{name}'; the lab has {string.Join(", ", state.Nodes.Select(n => n.Name))}");
        return node.ToNode();
    }

    private async Task<string> RunningPidAsync(string node, IReadOnlyList<string> command, CancellationToken ct)
    {
        var target = RequireNode(node);
        if (command.Count == 0)
        {
            throw new LabUsageException("no command given");
        }

        return await probe.InitPidAsync(target, ct)
            ?? throw new LabException(File.Exists(paths.PanicMarker(node))
                ? $"{node} has panicked: nothing runs on it (power it off or reset it with 'palisade lab power {node} reset')"
                : $"{node} is powered off (power it on with 'palisade lab power {node} on')");
    }

    private async Task EnsureNoLabAsync(CancellationToken ct)
    {
        var namespaces = await network.ListLabNamespacesAsync(ct);
        if (files.StateExists() || namespaces.Count > 0)
        {
            var found = namespaces.Count > 0 ? $"namespaces {string.Join(' ', namespaces)}" : $"state in {paths.Root}";
            throw new LabException($"a lab already exists ({found}); run 'palisade lab down' first");
        }
    }

    private void CheckStateRoot()
    {
        // The path ends up in ipmi_sim's chassis_control line, which splits on blanks.
        if (!Path.IsPathRooted(options.StateRoot) || options.StateRoot.Any(c => char.IsWhiteSpace(c) || c is '"' or '\''))
        {
            throw new LabUsageException($"state directory '{options.StateRoot}' must be an absolute path without blanks or quotes");
        }
    }

    private static void CheckTools()
    {
        var searchPath = (Environment.GetEnvironmentVariable("PATH") ?? "") + ":/usr/sbin:/sbin";
        var dirs = searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries);
        var missing = RequiredTools.Where(tool => !dirs.Any(d => File.Exists(Path.Combine(d, tool)))).ToList();
        if (missing.Count > 0)
        {
            throw new LabException($"the lab needs these programs, not found on PATH: {string.Join(", ", missing)}");
        }
    }

    private async Task RemovePartialLabAsync()
    {
        try
        {
            await DownAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is LabException or IOException or TimeoutException or UnauthorizedAccessException)
        {
            Log.CleanupFailed(logger, e.Message);
        }
    }
}
