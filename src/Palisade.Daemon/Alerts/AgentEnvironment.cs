using System.Globalization;
using Palisade.Core.Configuration;

namespace Palisade.Daemon.Alerts;

/// <summary>Pacemaker's environment of an alert agent (<c>CRM_alert_*</c>) for one event and recipient.</summary>
internal static class AgentEnvironment
{
    /// <summary>The Pacemaker version whose alert interface this follows (<c>CRM_alert_version</c>).</summary>
    public const string Version = "2.1.5";

    public static IReadOnlyDictionary<string, string> Of(AlertConfig alert, QueuedAlert item)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(item);
        var e = item.Event;
        var c = CultureInfo.InvariantCulture;
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["CRM_alert_kind"] = e.KindName,
            ["CRM_alert_version"] = Version,
            ["CRM_alert_recipient"] = item.Recipient,
            ["CRM_alert_node_sequence"] = e.Sequence.ToString(c),
            ["CRM_alert_timestamp"] = AlertTimestamp.Format(alert.TimestampFormat, e.At),
            ["CRM_alert_timestamp_epoch"] = e.At.ToUnixTimeSeconds().ToString(c),
            ["CRM_alert_timestamp_usec"] = (e.At.UtcTicks % TimeSpan.TicksPerSecond / 10).ToString("D6", c),
            ["CRM_alert_node"] = e.Node,
            ["CRM_alert_nodeid"] = e.NodeId.ToString(c),
            ["CRM_alert_desc"] = e.Description,
            ["PALISADE_alert_sequence"] = e.Sequence.ToString(c),
            ["PALISADE_alert_name"] = item.Alert,
        };
        foreach (var name in (string[])["task", "rc", "target_rc", "status", "rsc", "interval", "attribute_name", "attribute_value"])
        {
            if (e.Fields.TryGetValue(name, out var value))
            {
                env["CRM_alert_" + name] = value;
            }
        }

        if (e.Kind == AlertKind.Resource)
        {
            env["CRM_alert_exec_time"] = "0";
        }

        // Pacemaker also passes every variable as CRM_notify_*, for agents written for ClusterMon's external scripts.
        foreach (var (name, value) in env.Where(v => v.Key.StartsWith("CRM_alert_", StringComparison.Ordinal)).ToList())
        {
            env["CRM_notify_" + name["CRM_alert_".Length..]] = value;
        }

        return env;
    }
}
