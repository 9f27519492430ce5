using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Daemon;
using Palisade.Simulation.World;

namespace Palisade.Simulation.Checks;

/// <summary>
/// The properties every run must keep, all of them in every run: checked as events happen (a start, a kill, a
/// delivery), at quiet moments (agreement) and once the faults have healed (liveness).
/// </summary>
internal sealed class InvariantChecks(SimWorld world)
{
    private readonly List<string> _violations = [];
    private readonly HashSet<string> _operatorStopped = new(StringComparer.Ordinal);

    private readonly HashSet<string> _stoppedOnOneSide = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<SimLink>> _stopDeliveredTo = new(StringComparer.Ordinal);
    private readonly Dictionary<(int By, int Target), DateTimeOffset> _splitFences = [];
    private readonly Dictionary<(string By, string Target), DateTimeOffset> _killBegan = [];
    private DateTimeOffset _lastSplit = DateTimeOffset.MinValue;

    /// <summary>Two fences across one split this close together are a race both sides ran; further apart, quorum moved between them (nodes died or came back) and the second side acted alone.</summary>
    private static readonly TimeSpan RaceWindow = TimeSpan.FromSeconds(30);

    public IReadOnlyList<string> Violations => _violations;

    public void Violation(string what)
    {
        var line = $"{world.Now:HH:mm:ss.fff} {what}";
        _violations.Add(line);
        world.Note("VIOLATION", what);
    }

    /// <summary>A resource start begins on <paramref name="node"/>: the group must run nowhere else.</summary>
    public void OnStartBegins(string node, string group)
    {
        var running = world.Ledger.NodesRunning(group);
        // The next resource of a start already under way is not a new start: the stop follows it.
        if (_operatorStopped.Contains(group) && world.Ledger.ResourcesRunning(node, group) == 1)
        {
            if (StartOrderedBeforeTheStop(node, group))
            {
                world.Note("check", $"{group} starts on {node} by an order delivered before the operator's stop: the stop follows it");
            }
            else if (AnyHolderOfTheStopTakesPart(node, group))
            {
                Violation($"operator stop undone: a start of {group} began on {node} after an operator stopped it");
            }
            else
            {
                // Every node that recorded the stop (in its state or on its disk) is away from this node's cluster: a
                // two-node side that won the fence race, or a cluster formed again without them. The stop comes back
                // when one of them rejoins (its probe carries it) and must hold from the heal on.
                _operatorStopped.Remove(group);
                _stoppedOnOneSide.Add(group);
                world.Note("check", $"{group} starts on {node}, whose cluster holds no record of its stop: it must stop once a node that recorded it rejoins");
            }
        }

        if (world.Ledger.ResourcesRunning(node, group) == 1 && world.Node(node).Process?.Host?.Replica.State is { Maintenance: true })
        {
            Violation($"maintenance: a start of {group} began on {node}, whose palisaded holds maintenance on");
        }

        if (running.Count > 1)
        {
            Violation($"double activation: {group} runs on {string.Join(" and ", running)} (start began on {node})");
        }
    }

    /// <summary>
    /// Whether the stop reached <paramref name="node"/>'s palisaded in the agreed stream but is not applied there yet:
    /// the start it is acting on was ordered before the stop (both delivered together), and the stop follows it.
    /// </summary>
    private bool StartOrderedBeforeTheStop(string node, string group)
    {
        var process = world.Node(node).Process;
        return process is { Link: { } link, Host: { } host }
            && _stopDeliveredTo.TryGetValue(group, out var links) && links.Contains(link)
            && host.Replica.State?.Groups.GetValueOrDefault(group)?.Target != GroupTarget.Stopped;
    }

    /// <summary>Whether a palisaded in <paramref name="node"/>'s CPG view holds the operator's stop of <paramref name="group"/>.</summary>
    private bool AnyHolderOfTheStopTakesPart(string node, string group)
    {
        var starter = world.Node(node).Process;
        if (starter?.Link.View is not { } view)
        {
            return true;
        }

        return world.Nodes.Any(n => view.Contains(n.Id) && n.DaemonRunning && RecordsStop(n, group));
    }

    /// <summary>Whether <paramref name="n"/>'s palisaded holds the operator's stop of <paramref name="group"/>, in its state or on its disk.</summary>
    private static bool RecordsStop(SimNode n, string group)
    {
        var inState = n.Process?.Host?.Replica.State?.Groups.GetValueOrDefault(group)?.Target == GroupTarget.Stopped;
        return inState || new JsonStateFile(new SimDisk(n), "intents.json", static (_, _, _) => { }).ReadArray<GroupIntent>()
            .Any(i => i.Group == group && i.Target == GroupTarget.Stopped);
    }

    /// <summary>A shutdown agent's kill begins: only a quorate partition fences (two_node: votequorum keeps both halves quorate).</summary>
    public void OnKillBegins(SimNode caller, SimNode target)
    {
        _killBegan[(caller.Name, target.Name)] = world.Now;
        if (!caller.CorosyncAlive || !caller.Quorate)
        {
            Violation($"{caller.Name} started fencing {target.Name} without quorum");
        }
    }

    public void OnSplit()
    {
        _splitFences.Clear();
        _lastSplit = world.Now;
    }

    /// <summary>
    /// A fence powered a node off: within one split, the sides must not race to fence each other. A kill that began
    /// before the split was decided in the cluster as it was then, not by a side of this split (a node cut off alone
    /// earlier, whose power-off lands just after the next split moved it to another side).
    /// </summary>
    public void OnFencePowerOff(SimNode by, SimNode target)
    {
        if (by.Side == target.Side || (_killBegan.TryGetValue((by.Name, target.Name), out var began) && began < _lastSplit))
        {
            return;
        }

        _splitFences[(by.Side, target.Side)] = world.Now;
        if (_splitFences.TryGetValue((target.Side, by.Side), out var other) && world.Now - other <= RaceWindow)
        {
            Violation($"both sides of the split fenced each other ({by.Name} fenced {target.Name} after the other side fenced this one)");
        }
    }

    /// <summary>Whether <see cref="OnDelivered"/> needs this payload (operator requests).</summary>
    public bool Watches(ReadOnlySpan<byte> payload) => payload.StartsWith("{\"type\":\"admin\""u8);

    public void OnDelivered(SimLink sender, ClusterMessage message, IReadOnlyList<SimLink> recipients)
    {
        switch (message)
        {
            // A stop counts once a quorate side applied it: one delivered only in a partition that just lost quorum
            // never reached the cluster that goes on placing groups.
            case AdminRequest { Action: AdminAction.Stop } stop when recipients.Any(r => r.Node.Quorate):
                _operatorStopped.Add(stop.Group);
                _stopDeliveredTo[stop.Group] = [.. recipients];
                break;
            case AdminRequest { Action: AdminAction.Stop }:
                break;

            case AdminRequest request:
                _operatorStopped.Remove(request.Group);
                _stoppedOnOneSide.Remove(request.Group);
                _stopDeliveredTo.Remove(request.Group);
                break;
        }
    }

    /// <summary>
    /// Processes in one CPG view holding the state hold the same state (checked when nothing is in flight). A process
    /// may lag, so each pair is compared at the older of their versions; one shutting down reads no more events (its
    /// replica may even be of a cluster it formed alone before the merge) and is left out.
    /// </summary>
    public void CheckAgreement()
    {
        var synced = world.Nodes.Select(n => n.Process)
            .Where(p => p is { Exited: false, Link.State: LinkState.Open, Link.View: not null, Host: { Leaving: false } h } && h.Replica.Phase == ReplicaPhase.Synced)
            .Select(p => p!)
            .ToList();
        foreach (var view in synced.GroupBy(p => string.Join(",", p.Link.View!)))
        {
            var members = view.ToList();
            var first = members[0].Host!.Replica;
            foreach (var other in members.Skip(1))
            {
                var replica = other.Host!.Replica;
                var version = Math.Min(first.State!.Version, replica.State!.Version);
                if (first.StateAt(version) is not { } a || replica.StateAt(version) is not { } b)
                {
                    continue; // one has moved on too far to compare; the next quiet moment will
                }

                if (StateHasher.Hash(a) != StateHasher.Hash(b))
                {
                    Violation($"replicas disagree in view [{view.Key}] at version {version}: {members[0].Node.Name} {StateHasher.Hash(a)}, {other.Node.Name} {StateHasher.Hash(b)}"
                        + StateDiff.Describe(a, b));
                    return;
                }
            }
        }
    }

    /// <summary>
    /// After the last fault healed: every palisaded runs and holds the state, and every group is Online on exactly one
    /// node, the one the state names (or stopped, if an operator stopped it, or blocked where every start failed).
    /// Empty when all of that holds.
    /// </summary>
    public List<string> LivenessProblems()
    {
        var problems = new List<string>();
        if (!world.Nodes.Any(n => n.Powered && n.Quorate))
        {
            // votequorum gives no powered node quorum (nodes fenced after the heal held votes it needs, or the
            // auto_tie_breaker node went with them): nothing can be placed, and nothing may run.
            problems.AddRange(world.Config.Groups.Where(g => world.Ledger.NodesRunning(g.Name).Count > 0)
                .Select(g => $"{g.Name} runs on {string.Join(",", world.Ledger.NodesRunning(g.Name))} with no quorum anywhere"));
            return problems;
        }

        var running = world.Nodes.Where(n => n.Powered).Select(n => n.Process)
            .Where(p => p is { Exited: false, Host: { } h } && h.Replica.Phase == ReplicaPhase.Synced).Select(p => p!).ToList();
        var coordinator = running.Where(p => p.Node.Quorate).OrderBy(p => p.Node.Id).FirstOrDefault();
        if (coordinator is null)
        {
            problems.Add("no palisaded holds the state with quorum");
            return problems;
        }

        problems.AddRange(world.Nodes.Where(n => n.Powered && !running.Any(p => p.Node == n)).Select(n => $"palisaded on {n.Name} does not hold the state"));
        var state = coordinator.Host!.Replica.State!;
        if (state.Coordinator is { } named && world.Node(named.Name) is { Quorate: false } && running.Any(p => p.Node.Name == named.Name))
        {
            // votequorum answers per node: after auto_tie_breaker decided on an exact half, a node that just joined
            // may count itself quorate while the members it joined (the cluster's coordinator among them) do not.
            // The cluster follows its coordinator: no quorum, nothing placed, and nothing may run.
            problems.AddRange(world.Config.Groups.Where(g => world.Ledger.NodesRunning(g.Name).Count > 0)
                .Select(g => $"{g.Name} runs on {string.Join(",", world.Ledger.NodesRunning(g.Name))} while the coordinator {named.Name} has no quorum"));
            return problems;
        }

        if (OnlyUncleanMembersWhoseOwnStopFailed(state))
        {
            // Every member left is Unclean after its own stop failed, and nobody else is up to fence it: the cluster
            // places nothing and says so; only the operator (confirm-down, a repaired agent) can end it.
            return problems;
        }

        foreach (var group in world.Config.Groups)
        {
            var where = world.Ledger.NodesRunning(group.Name);
            var status = state.Groups[group.Name];
            if (StopFailedWhereNobodyCanFence(state, status, where))
            {
                // Blocked, and said so: the stop hung or failed on a node no healthy member is left to fence. Only
                // the operator can end it; starting it elsewhere or calling it stopped would be unsafe.
                continue;
            }

            if (_stoppedOnOneSide.Contains(group.Name) && !world.Nodes.Any(n => n.DaemonRunning && RecordsStop(n, group.Name)))
            {
                continue; // every node that recorded the stop is still away (fenced and off, say): nobody can honour it yet
            }

            if (_operatorStopped.Contains(group.Name) || _stoppedOnOneSide.Contains(group.Name))
            {
                if (where.Count > 0)
                {
                    problems.Add($"operator stop undone: {group.Name} runs on {string.Join(",", where)}");
                }

                continue;
            }

            // A node an operator left in standby is no candidate: with no other, the group waits for the operator.
            var candidates = group.Nodes.Where(n => world.Node(n).Powered && !status.FailedOn.Contains(n) && !state.Nodes[n].Standby).ToList();
            if (candidates.Count == 0 || status.Target == GroupTarget.Stopped)
            {
                continue;
            }

            if (Core.Planning.Recovery.Exhausted(world.Config, group, status, state))
            {
                continue; // its monitor used every rung and the final action is none: left as it is for the operator
            }

            if (status is { State: GroupState.Online, Node: { } owner } && status.Resources.Values.Contains(ResourceState.Failed)
                && candidates.All(n => n == owner))
            {
                continue; // its failover waits for a node it has not failed on, and the world has none to offer
            }

            if (status.State != GroupState.Online || where.Count != 1 || where[0] != status.Node)
            {
                problems.Add($"{group.Name} is {status.State} on {status.Node ?? "no node"} ({status.Reason}); it runs on [{string.Join(",", where)}]");
            }
        }

        return problems;
    }

    private static bool OnlyUncleanMembersWhoseOwnStopFailed(ClusterState state)
    {
        var members = state.Members.Select(state.NodeById).OfType<NodeStatus>().ToList();
        return members.Count > 0 && members.All(n => n.State == NodeState.Unclean
            && state.Groups.Values.Any(g => g.State == GroupState.Failed && g.Node == n.Name));
    }

    /// <summary>
    /// A stop that failed or hung where no healthy member is left to fence: whether it still runs there (the world
    /// may say it stopped later) the cluster cannot know, and keeps it blocked.
    /// </summary>
    private static bool StopFailedWhereNobodyCanFence(ClusterState state, GroupStatus status, IReadOnlyList<string> where) =>
        status is { State: GroupState.Failed, Node: { } node }
        && (where.Count == 0 || (where.Count == 1 && where[0] == node))
        && state.Nodes.TryGetValue(node, out var holder) && holder.State == NodeState.Unclean
        && !state.Nodes.Values.Any(n => n.Name != node && n.State == NodeState.Online && state.Members.Contains(n.Id));

    public void ReportLiveness(TimeSpan bound)
    {
        foreach (var problem in LivenessProblems())
        {
            Violation($"liveness: {bound.TotalSeconds:0} s after the last fault healed {problem}");
        }
    }
}
