using System.Globalization;
using System.Text;
using Palisade.Core.Control;
using Palisade.Core.Shutdown;

namespace Palisade.Core.Status;

/// <summary>Renders <c>palisade sd</c> output: the state table and the fence history.</summary>
public static class SdText
{
    private static readonly string[] Header = ["Cluster Host", "Agent", "SA State", "Shut State", "Test State", "Init State"];

    public static string Table(SdReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var rows = (report.Rows ?? []).Select(r => new[] { r.ClusterHost, r.Agent, r.SaState, r.ShutState, r.TestState, r.InitState }).ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Shutdown daemon on {report.Node}: {(report.Running ? "running" : "STOPPED (this node fences nobody)")}\n\n");
        var widths = Enumerable.Range(0, Header.Length).Select(i => rows.Select(r => r[i].Length).Append(Header[i].Length).Max()).ToArray();
        AppendRow(sb, Header, widths);
        AppendRow(sb, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var row in rows)
        {
            AppendRow(sb, row, widths);
        }

        var problems = (report.Rows ?? []).Where(r => r.SaState.EndsWith("Failed", StringComparison.Ordinal)).ToList();
        if (problems.Count > 0)
        {
            sb.Append('\n');
            foreach (var r in problems)
            {
                sb.Append(CultureInfo.InvariantCulture, $"{r.ClusterHost} agent {r.Index} ({r.Agent}): {r.SaState}: {r.Reason}\n");
            }
        }

        return sb.ToString();
    }

    public static string History(IReadOnlyList<FenceRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return "No fence history.\n";
        }

        var sb = new StringBuilder();
        foreach (var r in records)
        {
            var started = r.Started.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture,
                $"{started}Z  {r.Target,-8} by {r.By,-16} agent {r.Agent,-14} {r.Action,-12} {r.Result,-20} {r.DurationMs,6} ms  {r.Reason}\n");
        }

        return sb.ToString();
    }

    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            sb.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i] + 2));
        }

        sb.Append('\n');
    }
}
