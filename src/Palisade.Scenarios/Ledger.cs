using System.Globalization;

namespace Palisade.Scenarios;

/// <summary>One line of the lab ledger: a service start/stop written by the service, or a BMC power action.</summary>
public sealed record LedgerEntry(long UnixMs, string Node, string Action, string? Service);

/// <summary>A stretch of time during which a service ran on a node.</summary>
public sealed record Activity(string Node, string Service, long FromMs, long? ToMs);

/// <summary>
/// Reads the ledger the demo service and the lab's BMCs append to, and checks that no service was ever active on two
/// nodes at once. A power-off, or a panic (the lab kills every process of the node), ends everything that ran on the node.
/// </summary>
public static class Ledger
{
    public static IReadOnlyList<LedgerEntry> Read(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = new List<LedgerEntry>();
        foreach (var line in File.ReadAllLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length >= 3 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                entries.Add(new LedgerEntry(ms, parts[1], parts[2], parts.Length > 3 ? parts[3] : null));
            }
        }

        return entries.OrderBy(e => e.UnixMs).ToList();
    }

    public static IReadOnlyList<Activity> Activities(IEnumerable<LedgerEntry> entries)
    {
        var open = new Dictionary<(string Node, string Service), long>();
        var done = new List<Activity>();
        foreach (var e in entries)
        {
            switch (e.Action)
            {
                case "start" when e.Service is not null:
                    open.TryAdd((e.Node, e.Service), e.UnixMs);
                    break;
                case "stop" when e.Service is not null && open.Remove((e.Node, e.Service), out var from):
                    done.Add(new Activity(e.Node, e.Service, from, e.UnixMs));
                    break;
                case "power-off" or "panic":
                    foreach (var key in open.Keys.Where(k => k.Node == e.Node).ToList())
                    {
                        done.Add(new Activity(e.Node, key.Service, open[key], e.UnixMs));
                        open.Remove(key);
                    }

                    break;
            }
        }

        done.AddRange(open.Select(o => new Activity(o.Key.Node, o.Key.Service, o.Value, null)));
        return done.OrderBy(a => a.FromMs).ToList();
    }

    /// <summary>Every pair of activities of one service on two nodes that overlap in time; empty means safe.</summary>
    public static IReadOnlyList<string> Overlaps(IReadOnlyList<Activity> activities)
    {
        var problems = new List<string>();
        foreach (var service in activities.GroupBy(a => a.Service))
        {
            var list = service.ToList();
            for (var i = 0; i < list.Count; i++)
            {
                for (var j = i + 1; j < list.Count; j++)
                {
                    var (a, b) = (list[i], list[j]);
                    var overlap = a.Node != b.Node && a.FromMs < (b.ToMs ?? long.MaxValue) && b.FromMs < (a.ToMs ?? long.MaxValue);
                    if (overlap)
                    {
                        problems.Add($"{service.Key} ran on {a.Node} [{a.FromMs}..{a.ToMs?.ToString(CultureInfo.InvariantCulture) ?? "now"}] and on {b.Node} [{b.FromMs}..{b.ToMs?.ToString(CultureInfo.InvariantCulture) ?? "now"}]");
                    }
                }
            }
        }

        return problems;
    }
}
