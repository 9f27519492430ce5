using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>
/// Keeps what operators asked of each group (started or stopped) on this node's disk, written and synced whenever the
/// replicated state changes it, and sent with this node's probe after a restart: a group stopped by hand stays
/// stopped when the whole cluster restarts.
/// </summary>
internal sealed class IntentStore(IStateDisk disk, ILogger log)
{
    private readonly JsonStateFile _file = new(disk, "intents.json", (what, path, why) => Log.StoreFailed(log, what, path, why));
    private readonly JsonStateFile _nodeFile = new(disk, "node-intents.json", (what, path, why) => Log.StoreFailed(log, what, path, why));
    private ImmutableArray<GroupIntent> _saved = [];
    private readonly JsonStateFile _maintenanceFile = new(disk, "maintenance.json", (what, path, why) => Log.StoreFailed(log, what, path, why));
    private ImmutableArray<NodeIntent> _savedNodes = [];

    public string Path => _file.Path;

    /// <summary>The newest intent known here for each group: what the next probe report carries.</summary>
    public ImmutableArray<GroupIntent> Current => _saved;

    /// <summary>The newest standby intent known here for each node: what the next probe report carries.</summary>
    public ImmutableArray<NodeIntent> CurrentNodes => _savedNodes;

    /// <summary>Whether an operator last turned maintenance on or off, as known here; null: never.</summary>
    public MaintenanceIntent? Maintenance { get; private set; }

    public ImmutableArray<GroupIntent> Load()
    {
        _savedNodes = _nodeFile.ReadArray<NodeIntent>();
        Maintenance = _maintenanceFile.ReadArray<MaintenanceIntent>().LastOrDefault();
        return _saved = _file.ReadArray<GroupIntent>();
    }

    /// <summary>
    /// Merges the state's intents into those kept (the newer per group wins, so a state formed again from the
    /// configuration never erases one) and writes them if that changed anything; the file is synced before it
    /// replaces the old one.
    /// </summary>
    public void Save(ImmutableArray<GroupIntent> fromState)
    {
        var intents = GroupIntent.Merge(_saved, fromState);
        if (!intents.SequenceEqual(_saved) && _file.Write(intents))
        {
            _saved = intents;
        }
    }

    /// <summary>The same for maintenance mode: written when the state's is newer than the one kept.</summary>
    public void Save(MaintenanceIntent? fromState)
    {
        var newer = MaintenanceIntent.Newer(Maintenance, fromState);
        if (newer is not null && newer != Maintenance && _maintenanceFile.Write<MaintenanceIntent>([newer]))
        {
            Maintenance = newer;
        }
    }

    /// <summary>The same for the nodes operators put in standby or took out of it.</summary>
    public void Save(ImmutableArray<NodeIntent> fromState)
    {
        var intents = NodeIntent.Merge(_savedNodes, fromState);
        if (!intents.SequenceEqual(_savedNodes) && _nodeFile.Write(intents))
        {
            _savedNodes = intents;
        }
    }
}
