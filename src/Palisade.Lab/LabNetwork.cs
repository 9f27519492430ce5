using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab;

/// <summary>
/// Builds and removes the lab's network namespaces. Every link between namespaces is created inside pal-sw with its
/// peer moved straight into the target namespace, and a node's spare mon0 pair inside the node itself: the host's own
/// network is never touched.
/// </summary>
internal sealed class LabNetwork(ProcessRunner runner, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan IpTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KillLimit = TimeSpan.FromSeconds(15);

    public async Task CreateAsync(IReadOnlyList<LabNode> nodes, CancellationToken ct)
    {
        var namespaces = new List<string> { LabTopology.SwitchNamespace, LabTopology.BmcNamespace };
        namespaces.AddRange(nodes.Select(n => n.Namespace));
        await BatchAsync(null, namespaces.Select(ns => $"netns add {ns}"), ct);
        await BatchAsync(LabTopology.SwitchNamespace, SwitchCommands(nodes), ct);
        foreach (var node in nodes)
        {
            await BatchAsync(node.Namespace, NodeCommands(node), ct);
        }

        await BatchAsync(LabTopology.BmcNamespace, BmcCommands(nodes), ct);
        Log.NetworkCreated(logger, nodes.Count);
    }

    /// <summary>Names of existing pal-* namespaces (also after a crash that lost the state directory).</summary>
    public async Task<IReadOnlyList<string>> ListLabNamespacesAsync(CancellationToken ct)
    {
        var output = await runner.RunCheckedAsync("listing network namespaces", "ip", ["netns", "list"], IpTimeout, ct);
        return output
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ')[0])
            .Where(name => name.StartsWith(LabTopology.NamespacePrefix, StringComparison.Ordinal))
            .ToList();
    }

    /// <summary>SIGKILLs every process in the namespace until none is left and all have finished exiting, then deletes the namespace.</summary>
    public async Task RemoveNamespaceAsync(string ns, CancellationToken ct)
    {
        var killed = new HashSet<string>(StringComparer.Ordinal);
        await Poll.UntilAsync(time, KillLimit, TimeSpan.FromMilliseconds(20), $"the processes of {ns} to exit",
            async c =>
            {
                var pids = await PidsAsync(ns, c);
                if (pids.Count == 0)
                {
                    return null;
                }

                killed.UnionWith(pids);
                await runner.RunAsync("kill", ["-KILL", .. pids], IpTimeout, c);
                return "still running: " + string.Join(' ', pids);
            }, ct);

        // A process drops out of the namespace before its exit is over (its sockets close later).
        await Poll.UntilAsync(time, KillLimit, TimeSpan.FromMilliseconds(20), $"the killed processes of {ns} to finish exiting",
            _ =>
            {
                var exiting = killed.Where(pid => !HasExited(pid)).ToList();
                return Task.FromResult(exiting.Count == 0 ? null : "still exiting: " + string.Join(' ', exiting));
            }, ct);

        var result = await runner.RunAsync("ip", ["netns", "delete", ns], IpTimeout, ct);
        if (result.ExitCode != 0 && await NamespaceExistsAsync(ns, ct))
        {
            throw new LabException($"cannot delete namespace {ns}: {result.Stderr.Trim()}");
        }

        Log.NamespaceRemoved(logger, ns);
    }

    /// <summary>Process ids in a namespace; zombies are not listed (they hold no namespace any more).</summary>
    public async Task<IReadOnlyList<string>> PidsAsync(string ns, CancellationToken ct)
    {
        var result = await runner.RunAsync("ip", ["netns", "pids", ns], IpTimeout, ct);
        return result.ExitCode != 0
            ? []
            : result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    public async Task SetPortAsync(string port, bool up, CancellationToken ct) =>
        await runner.RunCheckedAsync($"setting {port} {(up ? "up" : "down")}", "ip",
            ["-n", LabTopology.SwitchNamespace, "link", "set", port, up ? "up" : "down"], IpTimeout, ct);

    /// <summary>
    /// Moves a node's interconnect port onto <see cref="LabTopology.IslandBridge"/> (created on first use), so the nodes
    /// moved there still see each other but no longer the rest: a split into two partitions of several nodes each.
    /// </summary>
    public async Task MoveToIslandAsync(string port, CancellationToken ct)
    {
        var ports = await SwitchPortsAsync(ct);
        if (!ports.ContainsKey(LabTopology.IslandBridge))
        {
            await runner.RunCheckedAsync("creating the island bridge", "ip",
                ["-n", LabTopology.SwitchNamespace, "link", "add", LabTopology.IslandBridge, "type", "bridge"], IpTimeout, ct);
            await runner.RunCheckedAsync("starting the island bridge", "ip",
                ["-n", LabTopology.SwitchNamespace, "link", "set", LabTopology.IslandBridge, "up"], IpTimeout, ct);
        }

        await runner.RunCheckedAsync($"moving {port} to the island", "ip",
            ["-n", LabTopology.SwitchNamespace, "link", "set", port, "master", LabTopology.IslandBridge], IpTimeout, ct);
    }

    /// <summary>Puts a node's interconnect port back on the main interconnect bridge.</summary>
    public async Task RejoinInterconnectAsync(string port, CancellationToken ct) =>
        await runner.RunCheckedAsync($"moving {port} back to {LabTopology.InterconnectBridge}", "ip",
            ["-n", LabTopology.SwitchNamespace, "link", "set", port, "master", LabTopology.InterconnectBridge], IpTimeout, ct);

    /// <summary>Administrative state (IFF_UP) of every port in pal-sw, by name.</summary>
    public Task<IReadOnlyDictionary<string, bool>> SwitchPortsAsync(CancellationToken ct) =>
        LinksAsync(LabTopology.SwitchNamespace, "reading the switch ports", ct);

    /// <summary>Administrative state (IFF_UP) of every link inside a node, by name.</summary>
    public Task<IReadOnlyDictionary<string, bool>> NodeLinksAsync(LabNode node, CancellationToken ct) =>
        LinksAsync(node.Namespace, $"reading the links of {node.Name}", ct);

    /// <summary>Sets one link inside the node's own namespace down or up (never the switch's, never the host's).</summary>
    public async Task SetNodeLinkAsync(LabNode node, string link, bool up, CancellationToken ct) =>
        await runner.RunCheckedAsync($"setting {link} of {node.Name} {(up ? "up" : "down")}", "ip",
            ["-n", node.Namespace, "link", "set", "dev", link, up ? "up" : "down"], IpTimeout, ct);

    private async Task<IReadOnlyDictionary<string, bool>> LinksAsync(string ns, string what, CancellationToken ct)
    {
        var json = await runner.RunCheckedAsync(what, "ip", ["-n", ns, "-j", "link", "show"], IpTimeout, ct);
        using var doc = JsonDocument.Parse(json);
        var ports = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var link in doc.RootElement.EnumerateArray())
        {
            var name = link.GetProperty("ifname").GetString() ?? "";
            var up = link.TryGetProperty("flags", out var flags)
                && flags.EnumerateArray().Any(f => f.GetString() == "UP");
            ports[name] = up;
        }

        return ports;
    }

    /// <summary>The BMC addresses present in pal-bmc right now (one leaves with <c>lab bmc NODE down</c>).</summary>
    public async Task<IReadOnlySet<string>> BmcAddressesAsync(CancellationToken ct)
    {
        var json = await runner.RunCheckedAsync("reading the BMC addresses", "ip",
            ["-n", LabTopology.BmcNamespace, "-j", "-4", "addr", "show", "dev", LabTopology.BmcInterface], IpTimeout, ct);
        using var doc = JsonDocument.Parse(json);
        var addresses = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in doc.RootElement.EnumerateArray())
        {
            if (link.TryGetProperty("addr_info", out var infos))
            {
                addresses.UnionWith(infos.EnumerateArray()
                    .Select(i => i.TryGetProperty("local", out var local) ? local.GetString() : null)
                    .OfType<string>());
            }
        }

        return addresses;
    }

    /// <summary>
    /// Adds or removes one BMC address in pal-bmc. The BMC processes keep their sockets: without the address
    /// nothing reaches them, with it back they answer again.
    /// </summary>
    public async Task SetBmcAddressAsync(string address, bool present, CancellationToken ct)
    {
        if (!present)
        {
            // Linux deletes every secondary address of a subnet with its primary one unless secondaries are
            // promoted: without this, taking the first BMC down would take the others with it.
            await runner.RunCheckedAsync("promoting secondary BMC addresses", "ip",
                ["netns", "exec", LabTopology.BmcNamespace, "sysctl", "-q", "-w", $"net.ipv4.conf.{LabTopology.BmcInterface}.promote_secondaries=1"],
                IpTimeout, ct);
        }

        await runner.RunCheckedAsync($"{(present ? "adding" : "removing")} BMC address {address}", "ip",
            ["-n", LabTopology.BmcNamespace, "addr", present ? "replace" : "del", $"{address}/{LabTopology.PrefixLength}", "dev", LabTopology.BmcInterface],
            IpTimeout, ct);
    }

    /// <summary>Gone, or a zombie whose threads have all ended: everything it held is released.</summary>
    private static bool HasExited(string pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is "Z" or "X" && Directory.GetDirectories($"/proc/{pid}/task").Length <= 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    private async Task<bool> NamespaceExistsAsync(string ns, CancellationToken ct) =>
        (await ListLabNamespacesAsync(ct)).Contains(ns);

    private async Task BatchAsync(string? ns, IEnumerable<string> commands, CancellationToken ct)
    {
        var script = string.Join('\n', commands) + "\n";
        string[] args = ns is null ? ["-batch", "-"] : ["-n", ns, "-batch", "-"];
        await runner.RunCheckedAsync($"configuring {ns ?? "namespaces"}", "ip", args, IpTimeout, ct, script);
    }

    private static IEnumerable<string> SwitchCommands(IReadOnlyList<LabNode> nodes)
    {
        var prefix = LabTopology.PrefixLength;
        yield return "link set lo up";
        yield return $"link add {LabTopology.InterconnectBridge} type bridge";
        yield return $"link add {LabTopology.AdminBridge} type bridge";
        yield return $"addr add {LabTopology.SwitchInterconnectAddress}/{prefix} dev {LabTopology.InterconnectBridge}";
        yield return $"addr add {LabTopology.SwitchAdminAddress}/{prefix} dev {LabTopology.AdminBridge}";
        yield return $"link set {LabTopology.InterconnectBridge} up";
        yield return $"link set {LabTopology.AdminBridge} up";
        foreach (var node in nodes)
        {
            yield return $"link add {node.SwitchInterconnectPort} type veth peer name {LabTopology.NodeInterconnectInterface} netns {node.Namespace}";
            yield return $"link add {node.SwitchAdminPort} type veth peer name {LabTopology.NodeAdminInterface} netns {node.Namespace}";
            yield return $"link set {node.SwitchInterconnectPort} master {LabTopology.InterconnectBridge} up";
            yield return $"link set {node.SwitchAdminPort} master {LabTopology.AdminBridge} up";
        }

        yield return $"link add {LabTopology.BmcSwitchPort} type veth peer name {LabTopology.BmcInterface} netns {LabTopology.BmcNamespace}";
        yield return $"link set {LabTopology.BmcSwitchPort} master {LabTopology.AdminBridge} up";
    }

    private static IEnumerable<string> NodeCommands(LabNode node)
    {
        var prefix = LabTopology.PrefixLength;
        yield return "link set lo up";
        yield return $"addr add {node.InterconnectAddress}/{prefix} dev {LabTopology.NodeInterconnectInterface}";
        yield return $"addr add {node.AdminAddress}/{prefix} dev {LabTopology.NodeAdminInterface}";
        yield return $"link set {LabTopology.NodeInterconnectInterface} up";
        yield return $"link set {LabTopology.NodeAdminInterface} up";
        yield return $"link add {LabTopology.NodeMonitorInterface} type veth peer name {LabTopology.NodeMonitorPeer}";
        yield return $"link set {LabTopology.NodeMonitorPeer} up";
        yield return $"link set {LabTopology.NodeMonitorInterface} up";
    }

    private static IEnumerable<string> BmcCommands(IReadOnlyList<LabNode> nodes)
    {
        yield return "link set lo up";
        foreach (var node in nodes)
        {
            yield return $"addr add {node.BmcAddress}/{LabTopology.PrefixLength} dev {LabTopology.BmcInterface}";
        }

        yield return $"link set {LabTopology.BmcInterface} up";
    }
}
