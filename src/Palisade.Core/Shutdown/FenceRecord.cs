using System.Collections.Immutable;

namespace Palisade.Core.Shutdown;

/// <summary>
/// One entry of the fence history: who acted on which node, through which agent, when, for how long, and how it ended.
/// </summary>
/// <param name="By">The node whose shutdown daemon ran the agent, or "operator@node" for a manual confirmation.</param>
/// <param name="Agent">"1:ipmi" (position in the target's chain and type), or "operator".</param>
/// <param name="Action">What was asked of the agent: off, reboot, confirm, confirm-down, none.</param>
public sealed record FenceRecord(
    string By,
    string Target,
    string Agent,
    string Action,
    DateTimeOffset Started,
    long DurationMs,
    FenceResult Result,
    string Reason)
{
    /// <summary>Identifies the entry across nodes and restarts, so merged histories hold it once.</summary>
    public string Id => $"{Started.UtcTicks}/{By}/{Target}/{Agent}";
}

/// <summary>The bounded, ordered fence history kept in the replicated state.</summary>
public static class FenceHistory
{
    public const int DefaultLimit = 500;

    /// <summary>Adds one entry, keeping the newest <paramref name="limit"/> entries in start order.</summary>
    public static ImmutableList<FenceRecord> Add(ImmutableList<FenceRecord> history, FenceRecord record, int limit) =>
        Merge(history, [record], limit);

    /// <summary>
    /// The union of both (an entry present in both is kept once), ordered by start time then id, bounded to the newest
    /// <paramref name="limit"/>. Deterministic: every node merging the same inputs gets the same list.
    /// </summary>
    public static ImmutableList<FenceRecord> Merge(ImmutableList<FenceRecord> history, IEnumerable<FenceRecord> more, int limit)
    {
        var all = history.Concat(more)
            .GroupBy(r => r.Id, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(r => r.Started)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        return [.. all.Skip(Math.Max(0, all.Count - limit))];
    }
}
