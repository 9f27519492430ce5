namespace Palisade.Simulation.World;

/// <summary>
/// What really runs on each node, resource by resource: from the moment a start begins until a stop succeeds, the
/// resource crashes, or its node loses power. The double-activation check reads only this.
/// </summary>
internal sealed class ResourceLedger(SimWorld world)
{
    private readonly SortedSet<(string Node, string Group, string Resource)> _running = [];

    public void Start(string node, string group, string resource)
    {
        _running.Add((node, group, resource));
        world.Note(node, $"ledger: {group}/{resource} running");
        world.Checks.OnStartBegins(node, group);
    }

    public void Stop(string node, string group, string resource)
    {
        if (_running.Remove((node, group, resource)))
        {
            world.Note(node, $"ledger: {group}/{resource} stopped");
        }
    }

    public bool IsRunning(string node, string group, string resource) => _running.Contains((node, group, resource));

    public void ClearNode(string node) => _running.RemoveWhere(r => r.Node == node);

    /// <summary>Nodes where any resource of <paramref name="group"/> runs.</summary>
    public IReadOnlyList<string> NodesRunning(string group) =>
        [.. _running.Where(r => r.Group == group).Select(r => r.Node).Distinct()];

    /// <summary>How many resources of <paramref name="group"/> run on <paramref name="node"/>.</summary>
    public int ResourcesRunning(string node, string group) => _running.Count(r => r.Node == node && r.Group == group);

    public IEnumerable<string> Describe() => _running.Select(r => $"{r.Group}/{r.Resource}@{r.Node}");
}
