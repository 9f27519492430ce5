namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// Where each group really runs, whatever the replicas believe. A node counts from the moment it begins starting a
/// group (resources may already be up) until a stop succeeds, it is powered off, or it is fenced.
/// </summary>
internal sealed class WorldLedger
{
    private readonly Dictionary<string, SortedSet<string>> _running = [];
    private readonly Action<string> _violation;

    public WorldLedger(Action<string> violation) => _violation = violation;

    /// <summary>Highest number of nodes any group ever ran on at once.</summary>
    public int MaxConcurrent { get; private set; }

    public IReadOnlyCollection<string> NodesRunning(string group) =>
        _running.TryGetValue(group, out var nodes) ? [.. nodes] : [];

    public void Add(string group, string node)
    {
        if (!_running.TryGetValue(group, out var nodes))
        {
            nodes = [];
            _running[group] = nodes;
        }

        nodes.Add(node);
        MaxConcurrent = Math.Max(MaxConcurrent, nodes.Count);
        if (nodes.Count > 1)
        {
            _violation($"group {group} runs on {string.Join(" and ", nodes)} at once");
        }
    }

    public void Remove(string group, string node)
    {
        if (_running.TryGetValue(group, out var nodes))
        {
            nodes.Remove(node);
        }
    }

    /// <summary>The node lost power: nothing runs there any more.</summary>
    public void ClearNode(string node)
    {
        foreach (var nodes in _running.Values)
        {
            nodes.Remove(node);
        }
    }
}
