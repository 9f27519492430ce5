using System.Globalization;
using System.Text;

namespace Palisade.Core.Status;

/// <summary>Renders <c>palisade monitor list</c>: one line per monitor and node, then its counters and last reason.</summary>
public static class MonitorText
{
    public static string Render(IReadOnlyList<MonitorReport> monitors)
    {
        ArgumentNullException.ThrowIfNull(monitors);
        if (monitors.Count == 0)
        {
            return "no monitors\n";
        }

        var sb = new StringBuilder();
        var width = Math.Max(7, monitors.Max(m => m.Name.Length));
        sb.Append(CultureInfo.InvariantCulture, $"{"MONITOR".PadRight(width)}  {"TYPE",-9} {"NODE",-10} STATUS\n");
        foreach (var m in monitors)
        {
            foreach (var (node, status) in m.Status)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{m.Name.PadRight(width)}  {m.Type,-9} {node,-10} {status}\n");
            }

            var c = m.Counters;
            sb.Append(CultureInfo.InvariantCulture,
                $"{"".PadRight(width)}  recovery: {c.Text}\n");
            if (m.LastReason.Length > 0)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{"".PadRight(width)}  last: {m.LastReason}\n");
            }
        }

        return sb.ToString();
    }
}
