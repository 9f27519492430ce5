using Microsoft.Extensions.Logging;
using Palisade.Lab.Redfish;

namespace Palisade.Lab;

/// <summary>
/// The steps of <c>lab up</c> after the plan is known: files, certificates, network, BMCs, node boots, and the waits
/// until the cluster has formed (and every palisaded listens, when there is one).
/// </summary>
internal sealed class LabBringUp(
    LabPaths paths,
    LabFiles files,
    LabNetwork network,
    LabBmc bmc,
    LabRedfish redfish,
    NodeProbe probe,
    ProcessRunner runner,
    TimeProvider time,
    ILogger logger,
    Watchdog.LabWatchdogs watchdogs)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan MembershipLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DaemonLimit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task RunAsync(LabPlan plan, string daemonPath, bool daemonPresent, CancellationToken ct)
    {
        files.CreateLayout(plan.Nodes);
        var createdDirs = LabFiles.CreateHostMountPoints();
        files.WriteState(new LabState(
            plan.Config.Name,
            daemonPath,
            daemonPresent,
            [.. plan.Nodes.Select(n => new LabStateNode(n.Name, n.Id, n.Index))],
            createdDirs));
        var password = LabFiles.NewPassword();
        files.WriteScripts(daemonPath);
        files.WriteClusterFiles(plan.Config, plan.Nodes, password);
        LabCertificates.Create(paths, plan.Config.Name, plan.Nodes, time);
        LabIntake.WriteToken(paths, plan.Nodes);
        LabApi.WriteFiles(paths, plan.Nodes, plan.Config.Api ?? LabApi.Config);
        if ((plan.Config.Api ?? LabApi.Config).Logins is { } logins)
        {
            LabLogins.WriteFiles(paths, plan.Nodes, logins);
        }

        await network.CreateAsync(plan.Nodes, ct);
        foreach (var node in plan.Nodes)
        {
            bmc.WriteConfig(node, password);
        }

        // The Redfish server (a .NET process: ~1 s to answer) starts first and is waited for while corosync forms.
        await redfish.StartAsync(ct);
        await Task.WhenAll(plan.Nodes.Select(n => bmc.StartAsync(n, ct)));
        await watchdogs.StartAsync(plan.Config, ct);
        foreach (var node in plan.Nodes)
        {
            await runner.RunCheckedAsync($"booting {node.Name}", paths.NodeStartScript, [node.Name], ScriptTimeout, ct);
            Log.NodeBooting(logger, node.Name, (await File.ReadAllTextAsync(paths.InitPid(node.Name), ct)).Trim());
        }

        await Task.WhenAll(WaitForMembershipAsync(plan.Nodes, ct), redfish.WaitUntilAnsweringAsync(plan.Nodes, ct));
        if (daemonPresent)
        {
            await WaitForDaemonsAsync(plan.Nodes, ct);
        }
    }

    /// <summary>Every node's corosync answers and sees all members; a node whose boot failed ends the wait at once.</summary>
    private async Task WaitForMembershipAsync(IReadOnlyList<LabNode> nodes, CancellationToken ct)
    {
        await Poll.UntilAsync(time, MembershipLimit, PollInterval, "corosync to form the full membership on every node",
            async c =>
            {
                var views = await Task.WhenAll(nodes.Select(n => ViewAsync(n, c)));
                var missing = views.Where(v => v is not null).ToList();
                return missing.Count == 0 ? null : string.Join("; ", missing);
            }, ct);
        Log.MembershipComplete(logger, nodes.Count);

        async Task<string?> ViewAsync(LabNode node, CancellationToken c)
        {
            var pid = await RequireRunningAsync(node, c);
            var view = await probe.QuorumAsync(pid, c);
            return view is null ? $"{node.Name}: corosync does not answer yet"
                : view.Members < nodes.Count ? $"{node.Name} sees {view.Members} of {nodes.Count} members"
                : null;
        }
    }

    private async Task WaitForDaemonsAsync(IReadOnlyList<LabNode> nodes, CancellationToken ct)
    {
        await Poll.UntilAsync(time, DaemonLimit, PollInterval, "palisaded to listen on /run/palisade/palisaded.sock on every node",
            async c =>
            {
                var waiting = new List<string>();
                foreach (var node in nodes)
                {
                    var pid = await RequireRunningAsync(node, c);
                    if (!await probe.DaemonSocketExistsAsync(pid, c))
                    {
                        waiting.Add(node.Name);
                    }
                }

                return waiting.Count == 0 ? null : "no socket yet on " + string.Join(", ", waiting);
            }, ct);
        Log.DaemonsReady(logger);
    }

    private async Task<string> RequireRunningAsync(LabNode node, CancellationToken ct) =>
        await probe.InitPidAsync(node, ct)
        ?? throw new LabException($"{node.Name} powered itself off during boot; its boot log says:\n{files.BootLogTail(node.Name)}");
}
