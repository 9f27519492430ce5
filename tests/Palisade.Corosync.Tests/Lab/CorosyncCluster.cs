using System.Security.Cryptography;

namespace Palisade.Corosync.Tests.Lab;

/// <summary>
/// N corosync nodes on this machine. Each node has a network namespace pctest-ID-nX with one veth (eth0,
/// 198.18.0.21X/24) whose peer sits on a bridge inside a separate switch namespace pctest-ID-sw, so the host's own
/// network is never touched. Dispose removes processes, namespaces and files, also after a failed start.
/// </summary>
internal sealed class CorosyncCluster : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly List<string> _namespaces = [];
    private readonly List<CorosyncNode> _nodes = [];
    private readonly List<ProbeProcess> _probes = [];
    private readonly string _directory;

    private CorosyncCluster(string id)
    {
        Id = id;
        _directory = Path.Combine(Path.GetTempPath(), $"pctest-{id}");
    }

    public string Id { get; }

    public string SwitchNamespace => $"pctest-{Id}-sw";

    public static CorosyncCluster Start(int nodeCount)
    {
        var cluster = new CorosyncCluster(Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant());
        try
        {
            cluster.BuildNetwork(nodeCount);
            var config = CorosyncConfig.Render($"pctest-{cluster.Id}", nodeCount);
            for (var nodeId = 1; nodeId <= nodeCount; nodeId++)
            {
                cluster._nodes.Add(CorosyncNode.Start(
                    nodeId, cluster.NodeNamespace(nodeId), Path.Combine(cluster._directory, $"n{nodeId}"), config));
            }

            foreach (var node in cluster._nodes)
            {
                node.WaitReady(nodeCount, StartTimeout);
            }

            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    public CorosyncNode Node(int nodeId) => _nodes[nodeId - 1];

    /// <summary>A probe inside node <paramref name="nodeId"/>'s network and mount namespaces.</summary>
    public ProbeProcess StartProbe(int nodeId, string group, string? label = null) =>
        Track(ProbeProcess.Start(
            label ?? $"n{nodeId}",
            ["nsenter", "--net", "--mount", "-t", Node(nodeId).Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            group));

    /// <summary>A probe in the switch namespace, where no corosync runs.</summary>
    public ProbeProcess StartProbeWithoutCorosync(string group) =>
        Track(ProbeProcess.Start("no-corosync", ["ip", "netns", "exec", SwitchNamespace], group));

    public void Dispose()
    {
        foreach (var probe in _probes)
        {
            probe.Dispose();
        }

        foreach (var node in _nodes)
        {
            node.Dispose();
        }

        // Deleting a namespace also deletes the veth ends and the bridge inside it.
        foreach (var netns in Enumerable.Reverse(_namespaces))
        {
            Shell.TryRun("ip", "netns", "del", netns);
        }

        try
        {
            if (Directory.Exists(_directory))
            {
                Directory.Delete(_directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless; the namespaces and processes are what matter.
        }
    }

    private string NodeNamespace(int nodeId) => $"pctest-{Id}-n{nodeId}";

    private ProbeProcess Track(ProbeProcess probe)
    {
        _probes.Add(probe);
        return probe;
    }

    private void BuildNetwork(int nodeCount)
    {
        AddNamespace(SwitchNamespace);
        Shell.Run("ip", "-n", SwitchNamespace, "link", "add", "br0", "type", "bridge");
        Shell.Run("ip", "-n", SwitchNamespace, "link", "set", "br0", "up");
        for (var nodeId = 1; nodeId <= nodeCount; nodeId++)
        {
            var netns = NodeNamespace(nodeId);
            var port = $"n{nodeId}";
            AddNamespace(netns);
            Shell.Run("ip", "-n", netns, "link", "set", "lo", "up");

            // Created inside the node namespace with its peer placed straight into the switch: never in the host's.
            Shell.Run("ip", "-n", netns, "link", "add", "eth0", "type", "veth", "peer", "name", port, "netns", SwitchNamespace);
            Shell.Run("ip", "-n", SwitchNamespace, "link", "set", port, "master", "br0");
            Shell.Run("ip", "-n", SwitchNamespace, "link", "set", port, "up");
            Shell.Run("ip", "-n", netns, "addr", "add", $"{CorosyncConfig.AddressOf(nodeId)}/24", "dev", "eth0");
            Shell.Run("ip", "-n", netns, "link", "set", "eth0", "up");
        }
    }

    private void AddNamespace(string netns)
    {
        Shell.Run("ip", "netns", "add", netns);
        _namespaces.Add(netns);
    }
}
