using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;

namespace Palisade.Core.Tests.Simulation;

/// <summary>Operator requests, what the replicas believe, and the cross-replica consistency check.</summary>
internal sealed partial class SimCluster
{
    private readonly List<string> _amnesia = [];

    /// <summary>
    /// An operator request on <paramref name="node"/>, accepted under the same conditions as the daemon's control
    /// handler (state held, quorum, a healthy move target); false when the daemon would refuse it.
    /// </summary>
    public bool Request(string node, string group, AdminAction action, string? to = null)
    {
        var n = this[node];
        var cfg = Config.FindGroup(group) ?? throw new ArgumentException($"no group {group}", nameof(group));
        if (!n.Synced || n.ShuttingDown || !n.Quorate || n.State is not { } state)
        {
            return false;
        }

        if (action == AdminAction.Move)
        {
            var status = state.Groups[group];
            to ??= cfg.Nodes.FirstOrDefault(x => x != status.Node && state.IsHealthy(x));
            if (to is null || !cfg.Nodes.Contains(to) || !state.IsHealthy(to) || (status.Node == to && status.State == GroupState.Online))
            {
                return false;
            }
        }

        Trace(node, $"operator: {action} {group}{(to is null ? "" : " to " + to)}");
        n.Send(new AdminRequest(group, action, to, $"operator on {node}"));
        return true;
    }

    /// <summary>The synced, running replicas, lowest id first.</summary>
    public IEnumerable<SimNode> SyncedNodes => _nodes.Where(n => n.Synced && !n.ShuttingDown);

    /// <summary>The group as the first synced replica in a quorate partition sees it.</summary>
    public GroupStatus Group(string group) =>
        (SyncedNodes.FirstOrDefault(n => n.Quorate) ?? SyncedNodes.First()).State!.Groups[group];

    public NodeStatus NodeStatus(string node) =>
        (SyncedNodes.FirstOrDefault(n => n.Quorate) ?? SyncedNodes.First()).State!.Nodes[node];

    public string Hash(string node) => StateHasher.Hash(this[node].State ?? throw new InvalidOperationException($"{node} holds no state"));

    /// <summary>
    /// True when the group is Online on <paramref name="node"/> in every synced replica of the quorate partition
    /// (every synced replica when none is quorate) and really runs only there.
    /// </summary>
    public bool IsOnlineOnlyOn(string group, string node)
    {
        var judges = SyncedNodes.Where(n => n.Quorate).ToList() is { Count: > 0 } quorate ? quorate : SyncedNodes.ToList();
        return judges.Count > 0
            && judges.All(n => n.State!.Groups[group] is { State: GroupState.Online } g && g.Node == node)
            && World.NodesRunning(group).SequenceEqual([node]);
    }

    /// <summary>
    /// After draining the bus, every synced replica in one partition must be at the same version with the same hash.
    /// Records a violation otherwise.
    /// </summary>
    public void CheckConsistency()
    {
        Drain();
        if (!Options.CheckAgreement)
        {
            return;
        }

        foreach (var side in SyncedNodes.Where(n => n.CorosyncUp).GroupBy(n => n.Segment))
        {
            var states = side.Select(n => (n.Name, n.State!.Version, Hash: StateHasher.Hash(n.State))).ToList();
            if (states.Select(s => (s.Version, s.Hash)).Distinct().Count() > 1)
            {
                Violation("replicas of one partition differ: " + string.Join(", ", states.Select(s => $"{s.Name} v{s.Version} {s.Hash}")));
            }
        }
    }

    /// <summary>
    /// Times a state formed from the configuration could act (its node had or gained quorum before the state was
    /// replaced) while the ledger shows groups running somewhere: that state cannot know about them.
    /// </summary>
    public IReadOnlyList<string> FreshStatesOverRunningGroups => _amnesia;

    internal void FreshStateCanAct(SimNode node)
    {
        var running = Config.Groups.SelectMany(g => World.NodesRunning(g.Name).Select(n => $"{g.Name}@{n}")).ToList();
        if (running.Count > 0)
        {
            _amnesia.Add($"{Now:HH:mm:ss.fff} {node.Name} holds a quorate state formed from the configuration while {string.Join(", ", running)} run");
            Trace("world", _amnesia[^1]);
        }
    }

    /// <summary>The FenceStarted messages delivered, as (sender, target, time).</summary>
    public IEnumerable<(string From, string Target, DateTimeOffset At)> FenceAttempts =>
        Delivered<FenceStarted>().Select(f => (f.From, f.Target, f.At));
}
