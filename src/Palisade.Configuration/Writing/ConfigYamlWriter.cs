using System.Globalization;
using System.Text;
using Palisade.Configuration.Reading;
using Palisade.Configuration.Writing;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;

namespace Palisade.Configuration;

/// <summary>
/// Writes a cluster config back as YAML in the file format <see cref="ConfigLoader"/> reads, with the values of the
/// records spelled out (defaults included; agent parameters are only those the config holds). With
/// <c>redactSecrets</c> every secret parameter value becomes <see cref="SecretNames.Redacted"/>.
/// </summary>
public static partial class ConfigYamlWriter
{
    public static string Write(ClusterConfig config, bool redactSecrets)
    {
        ArgumentNullException.ThrowIfNull(config);
        var yaml = new StringBuilder();
        yaml.Append("# Palisade cluster configuration").Append(redactSecrets ? " (secrets redacted)" : "").Append('\n');
        WriteCluster(yaml, config);
        WriteShutdown(yaml, config.Shutdown);
        yaml.Append("nodes:\n");
        foreach (var node in config.Nodes)
        {
            WriteNode(yaml, node, redactSecrets);
        }

        if (!config.ServerGroups.IsDefaultOrEmpty)
        {
            yaml.Append("server_groups:\n");
            foreach (var serverGroup in config.ServerGroups)
            {
                Indent(yaml, 2).Append("- name: ").Append(YamlText.Scalar(serverGroup.Name)).Append('\n');
                Indent(yaml, 4).Append("nodes: [").Append(string.Join(", ", serverGroup.Nodes.Select(n => YamlText.Scalar(n)))).Append("]\n");
            }
        }

        if (!config.Monitors.IsDefaultOrEmpty)
        {
            yaml.Append("monitors:\n");
            foreach (var monitor in config.Monitors)
            {
                WriteMonitor(yaml, monitor);
            }
        }

        if (!config.Categories.IsDefaultOrEmpty)
        {
            FlowList(yaml, 0, "categories", config.Categories);
        }

        if (config.Intake is { } intake)
        {
            WriteIntake(yaml, intake);
        }

        if (config.Api is { } api)
        {
            WriteApi(yaml, api);
        }

        if (!config.Alerts.IsDefaultOrEmpty)
        {
            WriteAlerts(yaml, config.Alerts);
        }

        if (config.Sources.Any)
        {
            yaml.Append("sources:\n");
            if (!config.Sources.Links.IsDefaultOrEmpty)
            {
                FlowList(yaml, 2, "links", config.Sources.Links);
            }

            if (config.Sources.KernelLog is { } kernelLog)
            {
                yaml.Append("  kernel_log:\n");
                Key(yaml, 4, "path", kernelLog.Path);
                if (!kernelLog.Rules.IsDefaultOrEmpty)
                {
                    FlowList(yaml, 4, "rules", kernelLog.Rules);
                }
            }

            if (config.Sources.Rasdaemon is { } rasdaemon)
            {
                yaml.Append("  rasdaemon:\n");
                Key(yaml, 4, "database", rasdaemon.Database);
                Key(yaml, 4, "interval", Formats.FormatDuration(rasdaemon.Interval));
            }

            if (config.Sources.RedfishEvents is { } redfish)
            {
                yaml.Append("  redfish_events:\n");
                Key(yaml, 4, "delivery", redfish.Delivery == RedfishDelivery.Sse ? "sse" : "push");
                if (redfish.Sender is { } sender)
                {
                    Key(yaml, 4, "sender", sender);
                }

                if (!redfish.Nodes.IsDefaultOrEmpty)
                {
                    FlowList(yaml, 4, "nodes", redfish.Nodes);
                }
            }
        }

        if (config.NodeActions.System)
        {
            yaml.Append("node_actions:\n");
            Key(yaml, 2, "type", "system");
            Key(yaml, 2, "poweroff", config.NodeActions.PowerOff);
            Key(yaml, 2, "reboot", config.NodeActions.Reboot);
            Key(yaml, 2, "panic", config.NodeActions.Panic);
        }

        if (config.Groups.IsDefaultOrEmpty)
        {
            yaml.Append("groups: []\n");
            return yaml.ToString();
        }

        yaml.Append("groups:\n");
        foreach (var group in config.Groups)
        {
            WriteGroup(yaml, group, redactSecrets);
        }

        return yaml.ToString();
    }

    private static void WriteCluster(StringBuilder yaml, ClusterConfig config)
    {
        yaml.Append("cluster:\n");
        Key(yaml, 2, "name", config.Name);
        Key(yaml, 2, "token", Number(config.Totem.TokenMs));
        if (config.Totem.TokenCoefficientMs is { } coefficient)
        {
            Key(yaml, 2, "token_coefficient", Number(coefficient));
        }

        Key(yaml, 2, "transport", config.Totem.Transport);
        Plain(yaml, 2, "wait_for_all", config.Totem.WaitForAll ? "true" : "false");
        if (!config.Totem.Crypto)
        {
            Plain(yaml, 2, "crypto", "false");
        }
    }

    private static void WriteShutdown(StringBuilder yaml, ShutdownSettings shutdown)
    {
        yaml.Append("shutdown:\n");
        Key(yaml, 2, "test_interval", Formats.FormatDuration(shutdown.TestInterval));
        Key(yaml, 2, "partition_delay", Formats.FormatDuration(shutdown.PartitionDelay));
        Key(yaml, 2, "history_limit", Number(shutdown.HistoryLimit));
        Key(yaml, 2, "advert_port", Number(shutdown.AdvertPort));
        Key(yaml, 2, "watchdog_timeout", Formats.FormatDuration(shutdown.WatchdogTimeout));
    }

    private static void WriteNode(StringBuilder yaml, NodeConfig node, bool redact)
    {
        Item(yaml, 2, "name", node.Name);
        Key(yaml, 4, "id", node.Id.ToString(CultureInfo.InvariantCulture));
        FlowList(yaml, 4, "interconnect", node.Interconnect);
        if (node.Admin is not null)
        {
            Key(yaml, 4, "admin", node.Admin);
        }

        Key(yaml, 4, "weight", Number(node.Weight));
        if (node.ServerGroup is not null)
        {
            Key(yaml, 4, "server_group", node.ServerGroup);
        }

        if (node.Watchdog is not null)
        {
            Key(yaml, 4, "watchdog", node.Watchdog);
        }

        if (node.ShutdownAgents.IsDefaultOrEmpty)
        {
            return;
        }

        Indent(yaml, 4).Append("shutdown_agents:\n");
        foreach (var agent in node.ShutdownAgents)
        {
            Item(yaml, 6, "type", agent.Type);
            Key(yaml, 8, "timeout", Formats.FormatDuration(agent.Timeout));
            var declaration = ShutdownAgentCatalog.Find(agent.Type);
            foreach (var (name, value) in agent.Parameters)
            {
                var secret = declaration?.IsSecret(name) ?? SecretNames.IsSecret(name);
                Key(yaml, 8, name, redact && secret ? SecretNames.Redacted : value);
            }
        }
    }

    private static void WriteGroup(StringBuilder yaml, GroupConfig group, bool redact)
    {
        Item(yaml, 2, "name", group.Name);
        FlowList(yaml, 4, "nodes", group.Nodes);
        Key(yaml, 4, "shutdown_priority", Number(group.ShutdownPriority));
        Plain(yaml, 4, "auto_start", group.AutoStart ? "true" : "false");
        if (group.Resources.IsDefaultOrEmpty)
        {
            return;
        }

        Indent(yaml, 4).Append("resources:\n");
        foreach (var resource in group.Resources)
        {
            WriteResource(yaml, resource, redact);
        }
    }

    private static void WriteResource(StringBuilder yaml, ResourceConfig resource, bool redact)
    {
        Item(yaml, 6, "name", resource.Name);
        var exec = resource.Kind == ResourceKind.Exec;
        Key(yaml, 8, "type", exec ? "exec" : "ocf");
        if (exec)
        {
            OptionalKey(yaml, 8, "start", resource.StartCommand);
            OptionalKey(yaml, 8, "stop", resource.StopCommand);
            OptionalKey(yaml, 8, "monitor", resource.MonitorCommand);
        }
        else
        {
            OptionalKey(yaml, 8, "agent", resource.Agent);
        }

        if (!resource.Parameters.IsEmpty)
        {
            Indent(yaml, 8).Append(exec ? "env" : "params").Append(":\n");
            foreach (var (name, value) in resource.Parameters)
            {
                Key(yaml, 10, name, redact ? SecretNames.Redact(name, value) : value);
            }
        }

        Key(yaml, 8, "start_timeout", Formats.FormatDuration(resource.StartTimeout));
        Key(yaml, 8, "stop_timeout", Formats.FormatDuration(resource.StopTimeout));
        Key(yaml, 8, "monitor_timeout", Formats.FormatDuration(resource.MonitorTimeout));
        Key(yaml, 8, "monitor_interval", Formats.FormatDuration(resource.MonitorInterval));
        Key(yaml, 8, "monitor_retries", resource.MonitorRetries.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (resource.MonitorStartDelay > TimeSpan.Zero)
        {
            Key(yaml, 8, "monitor_start_delay", Formats.FormatDuration(resource.MonitorStartDelay));
        }

        if (!resource.MonitorTimeoutIsError)
        {
            Key(yaml, 8, "monitor_on_timeout", "ignore");
        }

        WriteRecovery(yaml, 8, resource.Recovery);
    }

    private static void WriteRecovery(StringBuilder yaml, int indent, RecoveryConfig recovery)
    {
        Indent(yaml, indent).Append("recovery:\n");
        if (recovery.Scope != RecoveryScope.Group)
        {
            Key(yaml, indent + 2, "target", recovery.Scope == RecoveryScope.AllGroups ? "all_groups" : recovery.Resource!);
        }

        if (recovery.Script is { } script)
        {
            Key(yaml, indent + 2, "script", script);
            Key(yaml, indent + 2, "script_limit", Number(recovery.ScriptLimit));
            Key(yaml, indent + 2, "script_timeout", Formats.FormatDuration(recovery.ScriptTimeout));
        }

        if (recovery.PreAction is { } pre)
        {
            Indent(yaml, indent + 2).Append("pre_action:\n");
            Key(yaml, indent + 4, "script", pre.Script);
            Key(yaml, indent + 4, "timeout", Formats.FormatDuration(pre.Timeout));
            FlowList(yaml, indent + 4, "before", pre.Before);
        }

        Key(yaml, indent + 2, "restart_limit", Number(recovery.RestartLimit));
        Key(yaml, indent + 2, "failover_limit", Number(recovery.FailoverLimit));
        Key(yaml, indent + 2, "final_action", Core.Planning.Recovery.FinalActionName(recovery.FinalAction));
        if (recovery.FailoverOutsideServerGroup)
        {
            Plain(yaml, indent + 2, "failover_outside_server_group", "true");
        }

        if (recovery.ResetAfter is { } reset)
        {
            Key(yaml, indent + 2, "reset_after", Formats.FormatDuration(reset));
        }
    }

    private static void WriteMonitor(StringBuilder yaml, MonitorConfig monitor)
    {
        Item(yaml, 2, "name", monitor.Name);
        Key(yaml, 4, "type", MonitorConfig.KindName(monitor.Kind));
        Key(yaml, 4, "target", monitor.Target);
        OptionalKey(yaml, 4, "process", monitor.Process);
        OptionalKey(yaml, 4, "pidfile", monitor.PidFile);
        if (monitor.Process is not null)
        {
            Key(yaml, 4, "min_count", Number(monitor.MinCount));
        }

        if (!monitor.Addresses.IsDefaultOrEmpty)
        {
            FlowList(yaml, 4, "addresses", monitor.Addresses);
        }

        OptionalKey(yaml, 4, "interface", monitor.Interface);
        OptionalKey(yaml, 4, "path", monitor.Path);
        OptionalKey(yaml, 4, "command", monitor.Command);
        OptionalKey(yaml, 4, "resource", monitor.Resource);
        OptionalKey(yaml, 4, "category", monitor.Category);
        OptionalKey(yaml, 4, "keyword", monitor.Keyword);
        OptionalKey(yaml, 4, "managed_by", monitor.ManagedBy);
        Key(yaml, 4, "interval", Formats.FormatDuration(monitor.Interval));
        Key(yaml, 4, "timeout", Formats.FormatDuration(monitor.Timeout));
        Key(yaml, 4, "retries", Number(monitor.Retries));
        Key(yaml, 4, "start_delay", Formats.FormatDuration(monitor.StartDelay));
        Key(yaml, 4, "timing", monitor.Timing == MonitorTiming.Active ? "active" : "always");
        if (!monitor.Nodes.IsDefaultOrEmpty)
        {
            FlowList(yaml, 4, "nodes", monitor.Nodes);
        }

        Key(yaml, 4, "on_timeout", monitor.TimeoutIsError ? "error" : "ignore");
        WriteRecovery(yaml, 4, monitor.Recovery);
    }

    private static void WriteApi(StringBuilder yaml, ApiConfig api)
    {
        yaml.Append("api:\n");
        Plain(yaml, 2, "port", Number(api.Port));
        Key(yaml, 2, "listen", api.Listen.ToString().ToLowerInvariant());
        if (api.Certificate is { } certificate)
        {
            Key(yaml, 2, "certificate", certificate);
        }

        if (api.Key is { } key)
        {
            Key(yaml, 2, "key", key);
        }

        yaml.Append("  tokens:\n");
        foreach (var token in api.Tokens)
        {
            Indent(yaml, 4).Append("- name: ").Append(YamlText.Scalar(token.Name)).Append('\n');
            Key(yaml, 6, "role", token.Role.ToString().ToLowerInvariant());
            Key(yaml, 6, "token_file", token.TokenFile);
        }

        if (api.Logins is { } logins)
        {
            yaml.Append("  logins:\n");
            Key(yaml, 4, "service", logins.Service);
            foreach (var (role, group) in new[] { ("view", logins.View), ("operate", logins.Operate), ("admin", logins.Admin) })
            {
                if (group is not null)
                {
                    Key(yaml, 4, role, group);
                }
            }

            Key(yaml, 4, "session", Formats.FormatDuration(logins.Session));
        }
    }

    private static void WriteIntake(StringBuilder yaml, IntakeConfig intake)
    {
        yaml.Append("intake:\n");
        Plain(yaml, 2, "port", Number(intake.Port));
        Key(yaml, 2, "listen", intake.Listen.ToString().ToLowerInvariant());
        Key(yaml, 2, "certificate", intake.Certificate);
        Key(yaml, 2, "key", intake.Key);
        yaml.Append("  senders:\n");
        foreach (var sender in intake.Senders)
        {
            Indent(yaml, 4).Append("- name: ").Append(YamlText.Scalar(sender.Name)).Append('\n');
            Key(yaml, 6, "token_file", sender.TokenFile);
            FlowList(yaml, 6, "allow", sender.Allow);
            FlowList(yaml, 6, "actions", sender.Actions.Select(a => a.ToString().ToLowerInvariant()));
        }
    }

    private static StringBuilder Indent(StringBuilder yaml, int spaces) => yaml.Append(' ', spaces);

    private static void Key(StringBuilder yaml, int indent, string key, string value) =>
        Indent(yaml, indent).Append(YamlText.Scalar(key)).Append(": ").Append(YamlText.Scalar(value)).Append('\n');

    /// <summary>A value that must keep its YAML meaning (a boolean), so it is never quoted.</summary>
    private static void Plain(StringBuilder yaml, int indent, string key, string value) =>
        Indent(yaml, indent).Append(key).Append(": ").Append(value).Append('\n');

    private static void OptionalKey(StringBuilder yaml, int indent, string key, string? value)
    {
        if (value is not null)
        {
            Key(yaml, indent, key, value);
        }
    }

    /// <summary>The first key of a list item, written after its dash.</summary>
    private static void Item(StringBuilder yaml, int indent, string key, string value) =>
        Indent(yaml, indent).Append("- ").Append(key).Append(": ").Append(YamlText.Scalar(value)).Append('\n');

    private static void FlowList(StringBuilder yaml, int indent, string key, IEnumerable<string> values) =>
        Indent(yaml, indent).Append(key).Append(": [")
            .AppendJoin(", ", values.Select(v => YamlText.Scalar(v, inFlow: true)))
            .Append("]\n");

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
