using System.Collections.Immutable;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Reads <c>server_groups</c>: named sets of declared nodes (a site, a rack); a node belongs to one at most.</summary>
internal sealed class ServerGroupReader(Diagnostics diagnostics, IReadOnlyList<string> declaredNodes)
{
    private static readonly string[] Keys = ["name", "nodes"];

    public ImmutableArray<ServerGroupConfig> Read(YamlNode list)
    {
        var result = ImmutableArray.CreateBuilder<ServerGroupConfig>();
        if (list is not YamlSequenceNode sequence)
        {
            Scalars.ReportInvalid(list, "server_groups", diagnostics, "a list of server groups (name and nodes)");
            return result.ToImmutable();
        }

        var names = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"server_groups[{i}]";
            var m = MappingReader.Open(sequence.Children[i], path, diagnostics, "a server group (a mapping with name and nodes)");
            if (m is null)
            {
                continue;
            }

            var before = diagnostics.Count;
            m.RejectUnknown(Keys);
            var name = m.ReadPattern("name", NodeListReader.GroupLikeName(), "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'", required: true);
            if (name is not null && !names.TryAdd(name, m.Value("name")!))
            {
                diagnostics.Report(m.Value("name")!, m.Field("name"), $"duplicate server group name '{Scalars.Printable(name)}' (also at line {Fields.Line(names[name])})");
            }

            var nodes = ImmutableArray.CreateBuilder<string>();
            var nodesNode = m.Required("nodes", "a list of node names");
            if (nodesNode is not null and not YamlSequenceNode { Children.Count: > 0 })
            {
                Scalars.ReportInvalid(nodesNode, m.Field("nodes"), diagnostics, "a list of node names");
            }

            var items = (nodesNode as YamlSequenceNode)?.Children ?? [];
            for (var j = 0; j < items.Count; j++)
            {
                var field = $"{m.Field("nodes")}[{j}]";
                if (Scalars.Text(items[j], field, diagnostics, "a node name") is not { } node)
                {
                    continue;
                }

                if (!declaredNodes.Contains(node))
                {
                    diagnostics.Report(items[j], field, $"node '{Scalars.Printable(node)}' is not declared (declared: {string.Join(", ", declaredNodes)})");
                }
                else if (owners.TryGetValue(node, out var other))
                {
                    diagnostics.Report(items[j], field, $"node '{node}' is already in server group '{other}': a node belongs to one server group at most");
                }
                else
                {
                    owners[node] = name ?? path;
                    nodes.Add(node);
                }
            }

            if (diagnostics.Count == before && name is not null)
            {
                result.Add(new ServerGroupConfig { Name = name, Nodes = nodes.ToImmutable() });
            }
        }

        return result.ToImmutable();
    }
}
