namespace Palisade.Core.Shutdown;

/// <summary>
/// Keeps a flood of identical refusals (a misconfigured peer, a replaying attacker) from flooding the log: the first
/// of a kind is logged, then at most one per <see cref="Interval"/>, saying how many were dropped unlogged meanwhile.
/// </summary>
public sealed class RefusalThrottle
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Kinds remembered at most; the oldest are forgotten first (they are logged again when seen again).</summary>
    private const int MaxKinds = 256;

    private readonly Dictionary<string, (DateTimeOffset LoggedAt, int Suppressed)> _kinds = new(StringComparer.Ordinal);

    /// <summary>True when a refusal of <paramref name="kind"/> should be logged now; then <paramref name="suppressed"/> says how many were not.</summary>
    public bool ShouldLog(string kind, DateTimeOffset now, out int suppressed)
    {
        if (_kinds.TryGetValue(kind, out var entry) && now - entry.LoggedAt < Interval)
        {
            _kinds[kind] = entry with { Suppressed = entry.Suppressed + 1 };
            suppressed = 0;
            return false;
        }

        if (_kinds.Count >= MaxKinds && !_kinds.ContainsKey(kind))
        {
            _kinds.Remove(_kinds.MinBy(k => k.Value.LoggedAt).Key);
        }

        suppressed = entry.Suppressed;
        _kinds[kind] = (now, 0);
        return true;
    }
}
