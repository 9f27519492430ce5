using System.Globalization;
using System.Text;

namespace Palisade.Core.Status;

/// <summary>Renders a status report as the text operators read (<c>palisade status</c>).</summary>
public static class StatusText
{
    public static string Render(StatusReport r)
    {
        var sb = new StringBuilder();
        var quorum = r.Quorate ? "quorate" : "NOT QUORATE";
        sb.Append(CultureInfo.InvariantCulture, $"Cluster {r.Cluster}: {quorum}, coordinator {r.Coordinator ?? "none"}, state {r.Phase} v{r.Version}\n");
        if (r.Maintenance)
        {
            sb.Append(CultureInfo.InvariantCulture, $"MAINTENANCE (set by {r.MaintenanceBy}): nothing is started, stopped, recovered or fenced\n");
        }

        sb.Append("\nNodes:\n");
        var nameWidth = Math.Max(4, r.Nodes.Max(n => n.Name.Length));
        foreach (var n in r.Nodes)
        {
            var mark = n.Local ? "*" : " ";
            sb.Append(CultureInfo.InvariantCulture, $"  {mark} {n.Name.PadRight(nameWidth)}  id {n.Id,-3} {n.State,-8} {n.Reason}\n");
            if (n.Standby)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    {"".PadRight(nameWidth)}  standby (set by {n.StandbyBy}): no group is placed here\n");
            }
        }

        sb.Append("\nGroups:\n");
        if (r.Groups.Count == 0)
        {
            sb.Append("    (none)\n");
        }

        foreach (var g in r.Groups)
        {
            var where = g.Node is null ? "" : $" on {g.Node}";
            var target = g.Target == "Stopped" ? " (target: stopped)" : g.MoveTo is null ? "" : $" (moving to {g.MoveTo})";
            sb.Append(CultureInfo.InvariantCulture, $"    {g.Name}: {g.State}{where}{target} - {g.Reason}\n");
            foreach (var res in g.Resources)
            {
                sb.Append(CultureInfo.InvariantCulture, $"      {res.Name,-16} {res.Kind,-24} {res.State}\n");
            }

            if (g.FailedOn.Count > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"      failed on {string.Join(", ", g.FailedOn)} (palisade group cleanup {g.Name} clears it)\n");
            }
        }

        if (r.Monitors.Count > 0)
        {
            sb.Append("\nMonitors:\n");
            foreach (var m in r.Monitors)
            {
                var c = m.Counters;
                var status = string.Join(" ", m.Status.Select(s => $"{s.Key}={s.Value}"));
                sb.Append(CultureInfo.InvariantCulture,
                    $"    {m.Name} ({m.Type}): {status}; {c.Text}\n");
                if (m.LastReason.Length > 0)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"      last: {m.LastReason}\n");
                }
            }
        }

        if (r.Waiting.Count > 0)
        {
            sb.Append("\nWaiting:\n");
            foreach (var w in r.Waiting)
            {
                sb.Append(CultureInfo.InvariantCulture, $"    {w}\n");
            }
        }

        sb.Append("\n* = this node\n");
        return sb.ToString();
    }
}
