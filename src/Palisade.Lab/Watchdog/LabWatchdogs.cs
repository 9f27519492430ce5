using System.Globalization;
using Palisade.Core.Configuration;

namespace Palisade.Lab.Watchdog;

/// <summary>
/// The lab side of simulated watchdogs: each node whose config names a watchdog gets a FIFO at that path inside its
/// own directories (never a device of the host's, which would reset the whole machine) and a <see cref="SimulatedWatchdog"/>
/// watching it from pal-bmc, like the BMC hardware it stands for. <c>lab down</c> removes pal-bmc first: the
/// watchers die before the nodes.
/// </summary>
internal sealed class LabWatchdogs(LabPaths paths, LabHelper helper, ProcessRunner runner)
{
    private static readonly TimeSpan MkfifoTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Where <paramref name="watchdog"/>, a path inside the node, is on the host: under one of the node's own
    /// directories; null when it is not (a path elsewhere would be the host's own file or device).
    /// </summary>
    public static string? HostPath(LabPaths paths, string node, string watchdog)
    {
        foreach (var (dir, mountPoint) in LabPaths.NodeMounts)
        {
            var prefix = mountPoint + "/";
            if (watchdog.StartsWith(prefix, StringComparison.Ordinal) && !watchdog[prefix.Length..].Split('/').Contains(".."))
            {
                return Path.Combine(paths.NodeSubdir(node, dir), watchdog[prefix.Length..]);
            }
        }

        return null;
    }

    /// <summary>Why the node's watchdog cannot be simulated, or null.</summary>
    public static string? Problem(NodeConfig node) =>
        node.Watchdog is { } path && HostPath(new LabPaths("/"), node.Name, path) is null
            ? $"{node.Name}: the lab simulates a watchdog only inside the node's own directories ({string.Join(", ", LabPaths.NodeMounts.Select(m => m.MountPoint))}), "
                + $"e.g. /var/lib/palisade/watchdog; '{path}' would be the host's"
            : null;

    /// <summary>Creates each FIFO and starts each watcher; before the nodes boot, so every palisaded finds its reader.</summary>
    public async Task StartAsync(ClusterConfig config, CancellationToken ct)
    {
        foreach (var node in config.Nodes.Where(n => n.Watchdog is not null))
        {
            var fifo = HostPath(paths, node.Name, node.Watchdog!)!;
            Directory.CreateDirectory(Path.GetDirectoryName(fifo)!);
            await runner.RunCheckedAsync($"creating the watchdog FIFO of {node.Name}", "mkfifo", ["-m", "0600", fifo], MkfifoTimeout, ct);
            await helper.StartDetachedAsync($"the watchdog of {node.Name}", LabTopology.BmcNamespace, LogPath(node.Name), append: true,
            [
                LabHelperCli.Watchdog, "--node", node.Name, "--fifo", fifo,
                "--timeout", config.Shutdown.WatchdogTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture), "--state", paths.Root,
            ], ct);
        }
    }

    public string LogPath(string node) => Path.Combine(paths.NodeDir(node), "watchdog.log");
}
