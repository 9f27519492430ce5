namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// Configured outcomes of the fake agents: each entry is a number of coming attempts that fail
/// (<see cref="Always"/> for every one). Anything not configured succeeds.
/// </summary>
internal sealed class SimFaults
{
    public const int Always = int.MaxValue;

    private readonly Dictionary<(string Group, string Node), int> _start = [];
    private readonly Dictionary<(string Group, string Node), int> _stop = [];
    private readonly Dictionary<string, int> _fence = [];

    public void FailStart(string group, string node, int times = Always) => _start[(group, node)] = times;

    public void FailStop(string group, string node, int times = Always) => _stop[(group, node)] = times;

    public void FailFence(string target, int times = Always) => _fence[target] = times;

    /// <summary>Nodes where some stop is configured to fail (they may become Unclean).</summary>
    public IEnumerable<string> NodesFailingStops => _stop.Where(s => s.Value > 0).Select(s => s.Key.Node).Distinct();

    public void Clear()
    {
        _start.Clear();
        _stop.Clear();
        _fence.Clear();
    }

    /// <summary>Consumes one start attempt; true when it succeeds.</summary>
    public bool TakeStart(string group, string node) => Take(_start, (group, node));

    public bool TakeStop(string group, string node) => Take(_stop, (group, node));

    public bool TakeFence(string target) => Take(_fence, target);

    private static bool Take<TKey>(Dictionary<TKey, int> failures, TKey key)
        where TKey : notnull
    {
        if (!failures.TryGetValue(key, out var left) || left <= 0)
        {
            return true;
        }

        if (left != Always)
        {
            failures[key] = left - 1;
        }

        return false;
    }
}
