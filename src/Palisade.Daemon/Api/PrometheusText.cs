using System.Globalization;
using System.Reflection;
using System.Text;
using Palisade.Core.Status;

namespace Palisade.Daemon.Api;

/// <summary>
/// <c>GET /metrics</c> in the Prometheus text format (version 0.0.4): the cluster as this node sees it, one series
/// per state so that a state change is a value change (<c>palisade_node_state{node, state} 1</c>, 0 for the others).
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly string[] NodeStates = ["Online", "Unclean", "Fencing", "Fenced", "Offline", "Lost"];
    private static readonly string[] GroupStates = ["Online", "Offline", "Starting", "Stopping", "Failed"];
    private static readonly string[] MonitorStatuses = ["Normal", "Warning", "Error", "Unknown", "Offline", "Suspended"];

    /// <param name="paths">This node's shutdown daemon's table (its periodic tests of every path), if it answered.</param>
    public static string Render(StatusReport s, long journalBytes, FenceMetrics fences, IReadOnlyList<Core.Control.SdRow>? paths, IncidentTracker? incidents = null, Alerts.AlertMetrics? alerts = null)
    {
        var text = new StringBuilder();
        var version = typeof(PrometheusText).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        Family(text, "palisade_build_info", "gauge", "Always 1; the labels say which build and node answered.");
        Sample(text, "palisade_build_info", [("version", version), ("node", s.LocalNode), ("cluster", s.Cluster)], 1);
        Family(text, "palisade_quorate", "gauge", "1 when this node's partition has quorum.");
        Sample(text, "palisade_quorate", [], s.Quorate ? 1 : 0);
        Family(text, "palisade_maintenance", "gauge", "1 while the cluster is in maintenance mode (palisade maintenance on).");
        Sample(text, "palisade_maintenance", [], s.Maintenance ? 1 : 0);
        Family(text, "palisade_state_version", "gauge", "Version of the replicated state this node holds.");
        Sample(text, "palisade_state_version", [], s.Version);
        Family(text, "palisade_partition_members", "gauge", "Nodes in this node's partition.");
        Sample(text, "palisade_partition_members", [], s.Nodes.Count(n => n.Member));

        Family(text, "palisade_node_state", "gauge", "1 for the state each node is in, 0 for the others.");
        foreach (var node in s.Nodes)
        {
            foreach (var state in NodeStates.Union([node.State]))
            {
                Sample(text, "palisade_node_state", [("node", node.Name), ("state", state)], node.State == state ? 1 : 0);
            }
        }

        Family(text, "palisade_node_standby", "gauge", "1 while an operator keeps groups off the node (palisade node standby).");
        foreach (var node in s.Nodes)
        {
            Sample(text, "palisade_node_standby", [("node", node.Name)], node.Standby ? 1 : 0);
        }

        Family(text, "palisade_group_state", "gauge", "1 for the state each group is in, 0 for the others.");
        foreach (var group in s.Groups)
        {
            foreach (var state in GroupStates.Union([group.State]))
            {
                Sample(text, "palisade_group_state", [("group", group.Name), ("state", state)], group.State == state ? 1 : 0);
            }
        }

        Family(text, "palisade_group_active", "gauge", "1 on the node where the group is Online.");
        foreach (var group in s.Groups)
        {
            foreach (var node in s.Nodes)
            {
                Sample(text, "palisade_group_active", [("group", group.Name), ("node", node.Name)], group.State == "Online" && group.Node == node.Name ? 1 : 0);
            }
        }

        Family(text, "palisade_monitor_status", "gauge", "1 for the status of each monitor on each node, 0 for the others.");
        foreach (var monitor in s.Monitors)
        {
            foreach (var (node, status) in monitor.Status)
            {
                foreach (var each in MonitorStatuses.Union([status]))
                {
                    Sample(text, "palisade_monitor_status", [("monitor", monitor.Name), ("node", node), ("status", each)], status == each ? 1 : 0);
                }
            }
        }

        Family(text, "palisade_events_journal_bytes", "gauge", "Size of this node's journal of accepted messages.");
        Sample(text, "palisade_events_journal_bytes", [], journalBytes);

        var (operations, durations) = fences.Snapshot();
        Family(text, "palisade_fence_operations_total", "counter", "Fence attempts recorded in the cluster's history since this palisaded started, by target, agent and result.");
        foreach (var ((target, agent, result), count) in operations)
        {
            Sample(text, "palisade_fence_operations_total", [("target", target), ("agent", agent), ("result", result)], count);
        }

        Family(text, "palisade_fence_duration_seconds", "histogram", "How long each fence attempt took, by agent, since this palisaded started.");
        foreach (var (agent, histogram) in durations)
        {
            HistogramSamples(text, "palisade_fence_duration_seconds", ("agent", agent), histogram);
        }

        Family(text, "palisade_failover_phase_seconds", "histogram",
            "How long after a node's loss was detected each phase of its failover came (membership, fence_requested, fence_confirmed, start_ordered, resource_started, online), over the failovers this node saw recover since it started.");
        foreach (var (phase, histogram) in incidents?.PhaseHistograms() ?? [])
        {
            HistogramSamples(text, "palisade_failover_phase_seconds", ("phase", phase), histogram);
        }

        Family(text, "palisade_fence_path_test_ok", "gauge", "1 when the last test of this node's shutdown daemon of an agent of a target worked, 0 otherwise.");
        foreach (var row in paths ?? [])
        {
            Sample(text, "palisade_fence_path_test_ok", PathLabels(row), row.TestState == nameof(Core.Shutdown.TestState.TestWorked) ? 1 : 0);
        }

        Family(text, "palisade_fence_path_last_success_timestamp_seconds", "gauge", "When a test of the path last worked (Unix time); absent until one has.");
        foreach (var row in (paths ?? []).Where(r => r.LastTestWorked is not null))
        {
            Sample(text, "palisade_fence_path_last_success_timestamp_seconds", PathLabels(row),
                row.LastTestWorked!.Value.ToUnixTimeMilliseconds() / 1000.0);
        }

        if (alerts is not null)
        {
            AlertFamilies(text, alerts);
        }

        return text.ToString();
    }

    private static void AlertFamilies(StringBuilder text, Alerts.AlertMetrics alerts)
    {
        Family(text, "palisade_alerts_delivered_total", "counter", "Alert delivery attempts made by this node since palisaded started, by alert and result (delivered, failed, dropped).");
        foreach (var (alert, result, count) in alerts.Delivered)
        {
            Sample(text, "palisade_alerts_delivered_total", [("alert", alert), ("result", result)], count);
        }

        var (deliver, standby) = alerts.Depth;
        Family(text, "palisade_alerts_queue_depth", "gauge", "Alert deliveries in this node's queue: ones it makes (deliver) and ones it holds for another node (standby).");
        Sample(text, "palisade_alerts_queue_depth", [("role", "deliver")], deliver);
        Sample(text, "palisade_alerts_queue_depth", [("role", "standby")], standby);
    }

    private static (string, string)[] PathLabels(Core.Control.SdRow row) =>
        [("target", row.ClusterHost), ("agent", row.Agent), ("index", row.Index.ToString(CultureInfo.InvariantCulture))];

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    /// <summary>A histogram's samples: one bucket line per bound and +Inf, then its sum and count.</summary>
    private static void HistogramSamples(StringBuilder text, string family, (string Name, string Value) label, HistogramSnapshot histogram)
    {
        for (var i = 0; i < histogram.Buckets.Length; i++)
        {
            Sample(text, family + "_bucket", [label, ("le", histogram.Buckets[i].ToString(CultureInfo.InvariantCulture))], histogram.Cumulative[i]);
        }

        Sample(text, family + "_bucket", [label, ("le", "+Inf")], histogram.Count);
        Sample(text, family + "_sum", [label], histogram.Sum);
        Sample(text, family + "_count", [label], histogram.Count);
    }

    private static void Sample(StringBuilder text, string name, (string Name, string Value)[] labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').AppendJoin(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")).Append('}');
        }

        text.Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
