using System.Collections.Immutable;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Reads the <c>groups</c> list: unique names, node lists naming declared nodes, resources.</summary>
internal sealed class GroupReader(Diagnostics diagnostics, IReadOnlyList<string> declaredNodes)
{
    private const string NameExpected = "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'";
    private static readonly string[] Keys = ["name", "nodes", "shutdown_priority", "auto_start", "resources"];

    private readonly Dictionary<string, YamlNode> names = new(StringComparer.Ordinal);

    public List<GroupConfig> Read(YamlNode list)
    {
        var groups = new List<GroupConfig>();
        if (list is not YamlSequenceNode sequence)
        {
            Scalars.ReportInvalid(list, "groups", diagnostics, "a list of groups");
            return groups;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ReadGroup(sequence.Children[i], $"groups[{i}]") is { } group)
            {
                groups.Add(group);
            }
        }

        return groups;
    }

    private GroupConfig? ReadGroup(YamlNode item, string path)
    {
        var m = MappingReader.Open(item, path, diagnostics, "a group (a mapping with name and nodes)");
        if (m is null)
        {
            return null;
        }

        var before = diagnostics.Count;
        m.RejectUnknown(Keys);
        var name = m.ReadPattern("name", NodeListReader.GroupLikeName(), NameExpected, required: true);
        if (name is not null)
        {
            CheckUnique(names, name, m.Value("name")!, m.Field("name"), "group name");
        }

        var nodes = ReadNodeList(m);
        var priority = m.ReadInteger("shutdown_priority", 0, 1_000_000);
        var autoStart = m.ReadBoolean("auto_start");
        var resources = ReadResources(m, name);
        if (diagnostics.Count > before || name is null || nodes is null)
        {
            return null;
        }

        return new GroupConfig
        {
            Name = name,
            Nodes = nodes.Value,
            ShutdownPriority = (int)(priority ?? 0),
            AutoStart = autoStart ?? true,
            Resources = resources,
        };
    }

    private ImmutableArray<string>? ReadNodeList(MappingReader m)
    {
        const string expected = "a list of node names, in order of preference";
        var node = m.Required("nodes", expected);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Scalars.ReportInvalid(node, m.Field("nodes"), diagnostics, expected);
            return null;
        }

        var result = ImmutableArray.CreateBuilder<string>();
        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"{m.Field("nodes")}[{i}]";
            var entry = list.Children[i];
            var name = Scalars.Text(entry, field, diagnostics, "a node name");
            if (name is null)
            {
                continue;
            }

            if (!seen.TryAdd(name, entry))
            {
                diagnostics.Report(entry, field, $"node '{Scalars.Printable(name)}' is listed more than once");
                continue;
            }

            if (declaredNodes.Count > 0 && !declaredNodes.Contains(name))
            {
                diagnostics.Report(entry, field,
                    $"node '{Scalars.Printable(name)}' is not declared (declared: {string.Join(", ", declaredNodes)})");
            }

            result.Add(name);
        }

        return result.ToImmutable();
    }

    private ImmutableArray<ResourceConfig> ReadResources(MappingReader m, string? group)
    {
        if (m.Value("resources") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            Scalars.ReportInvalid(node, m.Field("resources"), diagnostics, "a list of resources, in start order");
            return [];
        }

        var seen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var resources = ImmutableArray.CreateBuilder<ResourceConfig>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var path = $"{m.Field("resources")}[{i}]";
            var item = list.Children[i];
            var nameNode = (item as YamlMappingNode)?.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: "name" }).Value;
            if (nameNode is YamlScalarNode { Value: { } raw } && !Scalars.IsNull(nameNode))
            {
                CheckUnique(seen, raw, nameNode, $"{path}.name", "resource name");
            }

            if (ResourceReader.Read(item, path, diagnostics, group) is { } resource)
            {
                resources.Add(resource);
            }
        }

        return resources.ToImmutable();
    }

    /// <summary>Records <paramref name="name"/>; reports it when it was already seen.</summary>
    private void CheckUnique(Dictionary<string, YamlNode> seen, string name, YamlNode node, string field, string what)
    {
        if (seen.TryGetValue(name, out var first))
        {
            diagnostics.Report(node, field, $"duplicate {what} '{Scalars.Printable(name)}' (also at line {Fields.Line(first)})");
            return;
        }

        seen[name] = node;
    }
}
