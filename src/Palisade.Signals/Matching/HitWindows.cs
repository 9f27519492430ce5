namespace Palisade.Signals;

/// <summary>
/// The recent matches of counted rules, one window per (rule, keyword), at most <c>capacity</c> windows: when a new
/// window would exceed it, the one touched longest ago is dropped.
/// </summary>
internal sealed class HitWindows(int capacity)
{
    private readonly Dictionary<(string Rule, string? Keyword), LinkedListNode<Window>> windows = [];
    private readonly LinkedList<Window> leastRecentFirst = new();

    public int Count => windows.Count;

    /// <summary>
    /// Records a match at <paramref name="now"/>; true when it is the <paramref name="count"/>th within
    /// <paramref name="within"/> (matches at most <paramref name="within"/> apart), which empties the window again.
    /// A kmsg record already counted in the window (same <paramref name="sequence"/>) is not counted twice.
    /// </summary>
    public bool Hit(string rule, string? keyword, DateTimeOffset now, long? sequence, int count, TimeSpan within)
    {
        var window = Touch((rule, keyword));
        window.Hits.RemoveAll(h => now - h.At > within);
        if (sequence is not null && window.Hits.Exists(h => h.Sequence == sequence))
        {
            return false;
        }

        window.Hits.Add((now, sequence));
        if (window.Hits.Count < count)
        {
            return false;
        }

        window.Hits.Clear();
        return true;
    }

    private Window Touch((string Rule, string? Keyword) key)
    {
        if (windows.TryGetValue(key, out var node))
        {
            leastRecentFirst.Remove(node);
            leastRecentFirst.AddLast(node);
            return node.Value;
        }

        if (windows.Count >= capacity && leastRecentFirst.First is { } oldest)
        {
            windows.Remove(oldest.Value.Key);
            leastRecentFirst.RemoveFirst();
        }

        var added = leastRecentFirst.AddLast(new Window(key));
        windows[key] = added;
        return added.Value;
    }

    private sealed class Window((string Rule, string? Keyword) key)
    {
        public (string Rule, string? Keyword) Key { get; } = key;

        public List<(DateTimeOffset At, long? Sequence)> Hits { get; } = [];
    }
}
