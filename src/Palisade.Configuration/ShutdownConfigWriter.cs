using System.Globalization;
using System.Text;
using Palisade.Configuration.Reading;
using Palisade.Configuration.Writing;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;

namespace Palisade.Configuration;

/// <summary>
/// The effective shutdown configuration as <c>palisade sd -C</c> prints it: settings, and every node's weight and agent
/// chain with each declared parameter's value (a default is marked as such). Every secret value is redacted.
/// </summary>
public static class ShutdownConfigWriter
{
    public static string Write(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = new StringBuilder();
        text.Append("# effective shutdown configuration (secrets redacted)\n");
        text.Append("shutdown:\n");
        Line(text, 2, "test_interval", Formats.FormatDuration(config.Shutdown.TestInterval));
        Line(text, 2, "partition_delay", Formats.FormatDuration(config.Shutdown.PartitionDelay));
        Line(text, 2, "history_limit", config.Shutdown.HistoryLimit.ToString(CultureInfo.InvariantCulture));
        Line(text, 2, "advert_port", config.Shutdown.AdvertPort.ToString(CultureInfo.InvariantCulture));
        Line(text, 2, "watchdog_timeout", Formats.FormatDuration(config.Shutdown.WatchdogTimeout));
        Line(text, 2, "two_node", config.TwoNode ? "true" : "false", plain: true);
        text.Append("nodes:\n");
        foreach (var node in config.Nodes)
        {
            text.Append("  - name: ").Append(YamlText.Scalar(node.Name)).Append('\n');
            Line(text, 4, "weight", node.Weight.ToString(CultureInfo.InvariantCulture));
            Line(text, 4, "admin", node.Admin ?? "none", node.Admin is null ? "partition adverts cannot reach this node" : null);
            if (node.Watchdog is not null)
            {
                Line(text, 4, "watchdog", node.Watchdog, "resets the node when it stops feeding it");
            }
            if (node.ShutdownAgents.IsDefaultOrEmpty)
            {
                text.Append("    shutdown_agents: []  # this node cannot be fenced\n");
                continue;
            }

            text.Append("    shutdown_agents:\n");
            foreach (var agent in node.ShutdownAgents)
            {
                WriteAgent(text, agent);
            }
        }

        return text.ToString();
    }

    private static void WriteAgent(StringBuilder text, ShutdownAgentConfig agent)
    {
        text.Append("      - type: ").Append(YamlText.Scalar(agent.Type)).Append('\n');
        Line(text, 8, "timeout", Formats.FormatDuration(agent.Timeout));
        var spec = ShutdownAgentCatalog.Find(agent.Type);
        if (spec?.FenceAgent is { } fenceAgent)
        {
            Line(text, 8, "agent", fenceAgent, "preset");
        }

        foreach (var parameter in spec?.Parameters ?? [])
        {
            var flag = parameter.Kind == ParameterKind.Flag;
            if (agent.Parameters.TryGetValue(parameter.Name, out var value))
            {
                Line(text, 8, parameter.Name, Shown(spec!, parameter.Name, value), plain: flag);
            }
            else if (parameter.Default is { } fallback)
            {
                Line(text, 8, parameter.Name, fallback, "default", plain: flag);
            }
        }

        foreach (var (name, value) in agent.Parameters.Where(p => spec?.Find(p.Key) is null))
        {
            Line(text, 8, name, spec is null ? SecretNames.Redact(name, value) : Shown(spec, name, value));
        }
    }

    private static string Shown(AgentTypeSpec spec, string name, string value) => spec.IsSecret(name) ? SecretNames.Redacted : value;

    /// <param name="plain">A boolean, written bare so that it reads back as one.</param>
    private static void Line(StringBuilder text, int indent, string key, string value, string? comment = null, bool plain = false)
    {
        text.Append(' ', indent).Append(YamlText.Scalar(key)).Append(": ").Append(plain ? value : YamlText.Scalar(value));
        if (comment is not null)
        {
            text.Append("  # ").Append(comment);
        }

        text.Append('\n');
    }
}
