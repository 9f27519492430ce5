using System.Text.Json;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Simulation.Checks;

/// <summary>Where two states differ, as the first few differing lines of their JSON forms.</summary>
internal static class StateDiff
{
    private static readonly JsonSerializerOptions Indented = new(MessageCodec.Options) { WriteIndented = true };

    public static string Describe(ClusterState a, ClusterState b)
    {
        var left = JsonSerializer.Serialize(a, Indented).Split('\n');
        var right = JsonSerializer.Serialize(b, Indented).Split('\n');
        var diffs = Enumerable.Range(0, Math.Min(left.Length, right.Length))
            .Where(i => left[i] != right[i])
            .Take(4)
            .Select(i => $"{left[i].Trim()} vs {right[i].Trim()}");
        return " (first differences: " + string.Join("; ", diffs) + ")";
    }
}
