using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>
/// Rules between a node's chain and its watchdog. A chain of confirm-only agents alone (icmp, kdump) cannot fence a
/// node that is still running, so it needs the node's watchdog; a node with a watchdog gets the <c>watchdog</c> agent
/// at the end of its chain unless the file writes one.
/// </summary>
internal static class WatchdogRules
{
    /// <summary>How much longer than the watchdog wait the appended agent's attempt may take.</summary>
    public static readonly TimeSpan AppendedMargin = TimeSpan.FromSeconds(10);

    public static List<NodeConfig> Apply(YamlSequenceNode items, List<NodeConfig> nodes, TimeSpan watchdogTimeout, Diagnostics diagnostics)
    {
        var result = new List<NodeConfig>(nodes.Count);
        var byName = nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        for (var i = 0; i < items.Children.Count; i++)
        {
            if (items.Children[i] is not YamlMappingNode item || Scalar(item, "name") is not { Value: { } name }
                || !byName.Remove(name, out var node))
            {
                continue;
            }

            result.Add(Check(item, $"nodes[{i}]", node, watchdogTimeout, diagnostics));
        }

        return result;
    }

    private static NodeConfig Check(YamlMappingNode item, string path, NodeConfig node, TimeSpan watchdogTimeout, Diagnostics diagnostics)
    {
        var list = Value(item, "shutdown_agents") as YamlSequenceNode;
        var written = node.ShutdownAgents.Select((a, j) => (Agent: a, Index: j)).Where(a => IsWatchdog(a.Agent)).ToList();
        if (node.Watchdog is null)
        {
            foreach (var (_, j) in written)
            {
                var typeNode = list is not null && list.Children.Count > j && list.Children[j] is YamlMappingNode agent ? Value(agent, "type") : null;
                diagnostics.Report(typeNode ?? item, $"{path}.shutdown_agents[{j}].type",
                    $"the watchdog agent confirms {node.Name} down once its watchdog must have reset it, but {node.Name} has no 'watchdog' device; add 'watchdog: PATH' (its watchdog device) to the node");
            }

            if (!node.ShutdownAgents.IsDefaultOrEmpty && node.ShutdownAgents.All(ConfirmsOnly))
            {
                diagnostics.Report(list ?? (YamlNode)item, $"{path}.shutdown_agents",
                    $"every agent of {node.Name}'s chain ({string.Join(", ", node.ShutdownAgents.Select(a => a.Type))}) only confirms a node is down "
                    + "and never stops one: silence or a missing answer is no proof that a running node stopped. Add an agent that stops the node "
                    + "(ipmi, redfish, fence-agent, ...), or give the node a 'watchdog' device so that it resets itself");
            }

            return node;
        }

        var minimum = 2 * watchdogTimeout;
        foreach (var (agent, j) in written.Where(w => w.Agent.Timeout <= minimum))
        {
            var agentNode = list is not null && list.Children.Count > j && list.Children[j] is YamlMappingNode a ? a : null;
            diagnostics.Report(agentNode is null ? item : Value(agentNode, "timeout") ?? agentNode, $"{path}.shutdown_agents[{j}].timeout",
                $"the watchdog agent waits twice shutdown.watchdog_timeout ({Formats.FormatDuration(minimum)}); its timeout "
                + $"({Formats.FormatDuration(agent.Timeout)}) must be longer, e.g. {Formats.FormatDuration(minimum + AppendedMargin)}");
        }

        return written.Count > 0 ? node : node with { ShutdownAgents = node.ShutdownAgents.Add(Appended(watchdogTimeout)) };
    }

    /// <summary>The agent appended to the chain of a node with a watchdog: it waits 2 x the timeout, plus a margin.</summary>
    public static ShutdownAgentConfig Appended(TimeSpan watchdogTimeout) => new()
    {
        Type = ShutdownAgentCatalog.Watchdog.Type,
        Timeout = 2 * watchdogTimeout + AppendedMargin,
    };

    private static bool IsWatchdog(ShutdownAgentConfig agent) =>
        string.Equals(agent.Type, ShutdownAgentCatalog.Watchdog.Type, StringComparison.OrdinalIgnoreCase);

    private static bool ConfirmsOnly(ShutdownAgentConfig agent) => ShutdownAgentCatalog.Find(agent.Type) is { ConfirmsOnly: true };

    private static YamlNode? Value(YamlMappingNode mapping, string key) =>
        mapping.Children.FirstOrDefault(e => e.Key is YamlScalarNode { Value: var k } && k == key).Value;

    private static YamlScalarNode? Scalar(YamlMappingNode mapping, string key) => Value(mapping, key) as YamlScalarNode;
}
