using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Reads the whole document: the <c>cluster</c> section, then nodes and groups, then checks that span them.</summary>
internal static partial class ClusterReader
{
    private const string NameExpected = "1 to 32 characters from A-Z, a-z, 0-9, '_' and '-'";
    private static readonly string[] RootKeys = ["cluster", "nodes", "groups", "shutdown", "server_groups", "monitors", "node_actions", "categories", "intake", "sources", "api", "alerts"];
    private static readonly string[] NodeActionKeys = ["type", "poweroff", "reboot", "panic"];
    private static readonly string[] ClusterKeys = ["name", "token", "token_coefficient", "transport", "wait_for_all", "crypto"];
    private static readonly string[] Transports = ["knet", "udpu"];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex ClusterName();

    public static ClusterConfig? Read(YamlNode root, Diagnostics diagnostics)
    {
        var m = MappingReader.Open(root, "", diagnostics, "a mapping with the keys cluster, nodes and groups");
        if (m is null)
        {
            return null;
        }

        m.RejectUnknown(RootKeys);
        var clusterNode = m.Required("cluster", "a mapping with the cluster's name and timings");
        var cluster = clusterNode is null ? null : MappingReader.Open(clusterNode, "cluster", diagnostics, "a mapping with the cluster's name and timings");
        var (name, totem) = cluster is null ? (null, null) : ReadCluster(cluster);

        var nodeList = new NodeListReader(diagnostics);
        var nodesNode = m.Required("nodes", $"a list of 1 to {NodeListReader.MaxNodes} nodes");
        var nodes = nodesNode is null ? [] : nodeList.Read(nodesNode);
        var groups = m.Value("groups") is { } groupsNode
            ? new GroupReader(diagnostics, nodeList.DeclaredNames).Read(groupsNode)
            : [];

        var serverGroups = m.Value("server_groups") is { } serverGroupsNode
            ? new ServerGroupReader(diagnostics, nodeList.DeclaredNames).Read(serverGroupsNode)
            : [];

        var categories = ReadCategories(m);
        var monitors = m.Value("monitors") is { } monitorsNode
            ? new MonitorReader(diagnostics, nodeList.DeclaredNames, groups, [.. Core.Messages.ExternalNoticeRules.BuiltInCategories, .. categories]).Read(monitorsNode)
            : [];

        const string ShutdownExpected = "a mapping of shutdown daemon settings (test_interval, partition_delay, history_limit, advert_port, watchdog_timeout)";
        var shutdown = m.Value("shutdown") is { } shutdownNode
            ? MappingReader.Open(shutdownNode, "shutdown", diagnostics, ShutdownExpected) is { } section ? ShutdownSectionReader.Read(section) : null
            : new ShutdownSettings();

        if (cluster is not null)
        {
            CheckTopology(cluster, (nodesNode as YamlSequenceNode)?.Children.Count ?? 0, nodeList.LinkCount);
        }

        if (nodesNode is YamlSequenceNode nodeItems)
        {
            nodes = WatchdogRules.Apply(nodeItems, nodes, shutdown?.WatchdogTimeout ?? new ShutdownSettings().WatchdogTimeout, diagnostics);
        }

        var nodeActions = ReadNodeActions(m);
        var intake = IntakeReader.Read(m, out var intakeOk);
        var sources = SourcesReader.Read(m);
        var api = ApiReader.Read(m, out var apiOk);
        var alerts = AlertsReader.Read(m, out var alertsOk);
        if (sources?.RedfishEvents is { } redfish && m.Value("sources") is YamlMappingNode sourcesNode)
        {
            RedfishEventsRules.Check(redfish, sourcesNode, intake, nodes, diagnostics);
        }

        if (diagnostics.Count > 0 || name is null || totem is null || shutdown is null || nodeActions is null || !intakeOk || sources is null || !apiOk || !alertsOk)
        {
            return null;
        }

        return new ClusterConfig
        {
            Name = name, Totem = totem, Nodes = [.. nodes], Groups = [.. groups], Shutdown = shutdown, ServerGroups = serverGroups, Monitors = monitors,
            NodeActions = nodeActions,
            Categories = categories,
            Intake = intake,
            Sources = sources,
            Api = api,
            Alerts = alerts,
        };
    }

    /// <summary><c>categories: [NAME, ...]</c>: message categories beyond the built-in ones, each at most 32 bytes.</summary>
    private static ImmutableArray<string> ReadCategories(MappingReader root)
    {
        if (root.Value("categories") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            Scalars.ReportInvalid(node, "categories", root.Diagnostics, "a list of message categories");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"categories[{i}]";
            if (Scalars.Text(list.Children[i], field, root.Diagnostics, "a category name") is not { } name)
            {
                continue;
            }

            if (name.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(name) > Core.Messages.ExternalNoticeRules.MaxCategoryBytes || name.Any(char.IsWhiteSpace))
            {
                root.Diagnostics.Report(list.Children[i], field, $"expected a category name of 1 to 32 bytes without spaces, got '{Scalars.Printable(name)}'");
            }
            else if (Core.Messages.ExternalNoticeRules.BuiltInCategories.Contains(name) || result.Contains(name))
            {
                root.Diagnostics.Report(list.Children[i], field, $"category '{name}' is already known");
            }
            else
            {
                result.Add(name);
            }
        }

        return result.ToImmutable();
    }

    /// <summary><c>node_actions: {type: shutdown_agents | system, poweroff: CMD, reboot: CMD, panic: CMD}</c>.</summary>
    private static NodeActionsConfig? ReadNodeActions(MappingReader root)
    {
        if (root.Value("node_actions") is not { } node)
        {
            return new NodeActionsConfig();
        }

        var m = MappingReader.Open(node, "node_actions", root.Diagnostics, "a mapping (type: shutdown_agents or system; poweroff, reboot, panic: commands)");
        if (m is null)
        {
            return null;
        }

        var before = m.Diagnostics.Count;
        m.RejectUnknown(NodeActionKeys);
        var type = m.ReadChoice("type", ["shutdown_agents", "system"], required: true);
        var poweroff = m.ReadText("poweroff", required: false);
        var reboot = m.ReadText("reboot", required: false);
        var panic = m.ReadText("panic", required: false);
        if (type == "shutdown_agents")
        {
            foreach (var key in new[] { "poweroff", "reboot", "panic" }.Where(k => m.Value(k) is not null))
            {
                m.Diagnostics.Report(m.KeyNode(key)!, m.Field(key), "a command applies only with type: system (with shutdown_agents the node's BMC acts)");
            }
        }

        if (m.Diagnostics.Count > before)
        {
            return null;
        }

        var defaults = new NodeActionsConfig();
        return new NodeActionsConfig
        {
            System = type == "system",
            PowerOff = poweroff ?? defaults.PowerOff,
            Reboot = reboot ?? defaults.Reboot,
            Panic = panic ?? defaults.Panic,
        };
    }

    private static (string? Name, TotemConfig? Totem) ReadCluster(MappingReader m)
    {
        var before = m.Diagnostics.Count;
        m.RejectUnknown(ClusterKeys);
        var name = m.ReadPattern("name", ClusterName(), NameExpected, required: true);
        var token = m.ReadInteger("token", 200, 60_000);
        var coefficient = m.ReadInteger("token_coefficient", 0, 10_000);
        var transport = m.ReadChoice("transport", Transports, required: false);
        var waitForAll = m.ReadBoolean("wait_for_all");
        var crypto = m.ReadBoolean("crypto");
        if (m.Diagnostics.Count > before)
        {
            return (name, null);
        }

        var totem = new TotemConfig
        {
            TokenMs = (int)(token ?? 1000),
            TokenCoefficientMs = (int?)coefficient,
            Transport = transport ?? "knet",
            WaitForAll = waitForAll ?? true,
            Crypto = crypto ?? true,
        };
        return (name, totem);
    }

    /// <summary>Rules that depend on the cluster section and the nodes together.</summary>
    private static void CheckTopology(MappingReader cluster, int nodeCount, int? linkCount)
    {
        if (nodeCount == 2 && cluster.Value("wait_for_all") is YamlScalarNode { Value: { } text } waitNode
            && Formats.TryParseBoolean(text, out var wait) && !wait)
        {
            cluster.Diagnostics.Report(waitNode, cluster.Field("wait_for_all"),
                "a two-node cluster always waits for both nodes at first start (two_node implies wait_for_all); remove the key or set it to true");
        }

        if (linkCount > 1 && cluster.Value("transport") is YamlScalarNode { Value: "udpu" } transportNode)
        {
            cluster.Diagnostics.Report(transportNode, cluster.Field("transport"),
                $"udpu supports a single link, but the nodes have {linkCount} interconnect addresses each; use knet for several links");
        }

        if (cluster.Value("transport") is YamlScalarNode { Value: "udpu" } udpuNode && !CryptoTurnedOff(cluster))
        {
            cluster.Diagnostics.Report(udpuNode, cluster.Field("transport"),
                "udpu cannot authenticate or encrypt the interconnect (corosync has crypto on knet only); use knet, or write crypto: false to run an unauthenticated interconnect");
        }
    }

    private static bool CryptoTurnedOff(MappingReader cluster) =>
        cluster.Value("crypto") is YamlScalarNode { Value: { } text } && Formats.TryParseBoolean(text, out var on) && !on;
}
