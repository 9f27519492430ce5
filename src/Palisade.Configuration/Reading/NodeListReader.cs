using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Reads the <c>nodes</c> list and checks what spans nodes: unique names, ids and addresses, matching links.</summary>
internal sealed partial class NodeListReader(Diagnostics diagnostics)
{
    public const int MaxNodes = 32;
    public const int MaxLinks = 8;
    private const string NameExpected = "a host-like name: lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters";
    private const string ServerGroupExpected = "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'";
    private static readonly string[] Keys = ["name", "id", "interconnect", "admin", "weight", "server_group", "shutdown_agents", "watchdog"];

    private readonly Dictionary<string, YamlNode> names = new(StringComparer.Ordinal);
    private readonly Dictionary<long, (string? Owner, YamlNode Node)> ids = [];
    private readonly Dictionary<IPAddress, (string? Owner, YamlNode Node)> addresses = [];
    private readonly List<NodeLinks> links = [];

    /// <summary>Every name written under <c>nodes</c>, valid or not, in file order: what groups may refer to.</summary>
    public List<string> DeclaredNames { get; } = [];

    /// <summary>Number of interconnect links (addresses per node), once known.</summary>
    public int? LinkCount => links.Count > 0 ? links[0].Addresses.Count : null;

    private const string WatchdogExpected = "the absolute path of the node's watchdog device";

    [GeneratedRegex("^/[^\\x00-\\x1f]*[^/\\x00-\\x1f]$")]
    private static partial Regex WatchdogPath();

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex NodeName();

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    internal static partial Regex GroupLikeName();

    public List<NodeConfig> Read(YamlNode list)
    {
        var nodes = new List<NodeConfig>();
        if (list is not YamlSequenceNode sequence)
        {
            Scalars.ReportInvalid(list, "nodes", diagnostics, $"a list of 1 to {MaxNodes} nodes");
            return nodes;
        }

        if (sequence.Children.Count is 0 or > MaxNodes)
        {
            diagnostics.Report(sequence, "nodes", $"expected 1 to {MaxNodes} nodes, got {sequence.Children.Count}");
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadNode(sequence.Children[i], $"nodes[{i}]") is { } node)
            {
                nodes.Add(node);
            }
        }

        CheckLinks();
        return nodes;
    }

    private NodeConfig? ReadNode(YamlNode item, string path)
    {
        var m = MappingReader.Open(item, path, diagnostics, "a node (a mapping with name, id and interconnect)");
        if (m is null)
        {
            return null;
        }

        var before = diagnostics.Count;
        m.RejectUnknown(Keys);
        var name = ReadName(m);
        var id = ReadId(m, name);
        var interconnect = ReadInterconnect(m, name);
        var admin = m.Value("admin") is { } adminNode ? ReadAddress(adminNode, m.Field("admin"), name) : null;
        var weight = m.ReadInteger("weight", 1, 1_000_000);
        var serverGroup = m.ReadPattern("server_group", GroupLikeName(), ServerGroupExpected, required: false);
        var agents = ReadAgents(m);
        var watchdog = m.ReadPattern("watchdog", WatchdogPath(), WatchdogExpected, required: false);
        if (diagnostics.Count > before || name is null || id is null || interconnect is null)
        {
            return null;
        }

        return new NodeConfig
        {
            Name = name,
            Id = (uint)id.Value,
            Interconnect = [.. interconnect.Select(a => a.ToString())],
            Admin = admin?.ToString(),
            Weight = (int)(weight ?? 1),
            ServerGroup = serverGroup,
            ShutdownAgents = agents,
            Watchdog = watchdog,
        };
    }

    private string? ReadName(MappingReader m)
    {
        if (m.Value("name") is YamlScalarNode { Value: { } raw } rawNode)
        {
            if (names.TryGetValue(raw, out var first))
            {
                diagnostics.Report(rawNode, m.Field("name"), $"duplicate node name '{Scalars.Printable(raw)}' (also at line {Fields.Line(first)})");
            }
            else
            {
                names[raw] = rawNode;
                DeclaredNames.Add(raw);
            }
        }

        return m.ReadPattern("name", NodeName(), NameExpected, required: true);
    }

    private long? ReadId(MappingReader m, string? name)
    {
        var id = m.ReadInteger("id", 1, uint.MaxValue - 1, required: true);
        if (id is { } value)
        {
            var node = m.Value("id")!;
            if (ids.TryGetValue(value, out var first))
            {
                diagnostics.Report(node, m.Field("id"), $"duplicate node id {value} (also used by {first.Owner ?? "another node"} at line {Fields.Line(first.Node)})");
            }
            else
            {
                ids[value] = (name, node);
            }
        }

        return id;
    }

    private List<IPAddress>? ReadInterconnect(MappingReader m, string? name)
    {
        const string expected = "an IP address or a list of 1 to 8 IP addresses, one per link";
        var node = m.Required("interconnect", expected);
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode)
        {
            Scalars.ReportInvalid(node, m.Field("interconnect"), diagnostics, expected);
            return null;
        }

        // A single address may be written without brackets.
        var items = node is YamlSequenceNode list
            ? list.Children.Select((item, j) => (item, Field: $"{m.Field("interconnect")}[{j}]")).ToList()
            : [(node, m.Field("interconnect"))];

        if (items.Count is 0 or > MaxLinks)
        {
            diagnostics.Report(node, m.Field("interconnect"), $"expected 1 to {MaxLinks} addresses, got {items.Count}");
            return null;
        }

        var parsed = items.Select(i => (Address: ReadAddress(i.item, i.Field, name), Node: i.item)).ToList();
        if (parsed.Any(p => p.Address is null))
        {
            return null;
        }

        links.Add(new NodeLinks(m.Field("interconnect"), name, node, [.. parsed.Select((p, j) => (p.Address!, p.Node, items[j].Field))]));
        return [.. parsed.Select(p => p.Address!)];
    }

    private IPAddress? ReadAddress(YamlNode node, string field, string? owner)
    {
        var address = Fields.Address(node, field, diagnostics);
        if (address is null)
        {
            return null;
        }

        if (addresses.TryGetValue(address, out var first))
        {
            diagnostics.Report(node, field, $"duplicate address {address} (also used by {first.Owner ?? "another node"} at line {Fields.Line(first.Node)})");
        }
        else
        {
            addresses[address] = (owner, node);
        }

        return address;
    }

    private ImmutableArray<ShutdownAgentConfig> ReadAgents(MappingReader m)
    {
        if (m.Value("shutdown_agents") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            Scalars.ReportInvalid(node, m.Field("shutdown_agents"), diagnostics, "a list of shutdown agents, tried in order");
            return [];
        }

        var agents = ImmutableArray.CreateBuilder<ShutdownAgentConfig>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            if (AgentReader.Read(list.Children[i], $"{m.Field("shutdown_agents")}[{i}]", diagnostics) is { } agent)
            {
                agents.Add(agent);
            }
        }

        return agents.ToImmutable();
    }

    /// <summary>Corosync needs one address per link on every node, and one address family per link.</summary>
    private void CheckLinks()
    {
        if (links.Count == 0)
        {
            return;
        }

        var reference = links[0];
        foreach (var node in links.Skip(1))
        {
            if (node.Addresses.Count != reference.Addresses.Count)
            {
                diagnostics.Report(node.Node, node.Field,
                    $"expected {Addresses(reference.Addresses.Count)} like {reference.Owner ?? "the first node"} (every node needs one address per link), got {node.Addresses.Count}");
                continue;
            }

            for (var link = 0; link < node.Addresses.Count; link++)
            {
                var expected = Formats.Family(reference.Addresses[link].Address);
                var actual = Formats.Family(node.Addresses[link].Address);
                if (expected != actual)
                {
                    diagnostics.Report(node.Addresses[link].Node, node.Addresses[link].Field,
                        $"link {link} uses {expected} on {reference.Owner ?? "the first node"} but {actual} here; a link needs one address family on every node");
                }
            }
        }
    }

    private static string Addresses(int count) => count == 1 ? "1 interconnect address" : $"{count} interconnect addresses";

    /// <param name="Field">Path of the node's <c>interconnect</c> key.</param>
    private sealed record NodeLinks(string Field, string? Owner, YamlNode Node, List<(IPAddress Address, YamlNode Node, string Field)> Addresses);
}
