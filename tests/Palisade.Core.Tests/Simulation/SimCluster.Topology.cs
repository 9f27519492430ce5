using System.Collections.Immutable;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// Failures and repairs. Each is one topology change: quorum is recomputed (a node that loses it hears so at once,
/// as votequorum activates before CPG, and stops its groups), then every daemon whose CPG view changed gets a
/// MembershipChanged saying who is there, who left and why, and who joined, as CPG reports it to that side;
/// a node that gains quorum hears so through a notice queued after those changes (and after any change still
/// queued for it), so it applies a merge knowing it was not quorate before it.
/// </summary>
internal sealed partial class SimCluster
{
    /// <summary>Corosync and palisaded start on all these nodes at once (one CPG change: a new cluster).</summary>
    public void BootTogether(params string[] names)
    {
        var nodes = names.Select(n => this[n]).ToList();
        Topology($"boot {string.Join(",", names)} together", () =>
        {
            foreach (var node in nodes)
            {
                node.CorosyncUp = true;
            }

            foreach (var node in nodes)
            {
                node.StartDaemon();
            }
        }, nodes);
    }

    /// <summary>A node powers on: corosync joins first, palisaded after it.</summary>
    public void Boot(string name)
    {
        if (!this[name].CorosyncUp)
        {
            StartCorosync(name);
        }

        StartDaemon(name);
    }

    public void StartCorosync(string name)
    {
        var node = this[name];
        Require(!node.CorosyncUp, $"{name}'s corosync is already up");
        Topology($"corosync up on {name}", () => node.CorosyncUp = true);
    }

    /// <summary>palisaded (re)starts on nodes whose corosync runs: a new replica, no state.</summary>
    public void StartDaemon(params string[] names)
    {
        var nodes = names.Select(n => this[n]).ToList();
        Require(nodes.All(n => n.CorosyncUp && !n.DaemonUp), $"daemons can start only where corosync runs and palisaded does not ({string.Join(",", names)})");
        Topology($"palisaded starts on {string.Join(",", names)}", () => nodes.ForEach(n => n.StartDaemon()), nodes);
    }

    /// <summary>The node loses power: corosync and palisaded die, and so does everything it ran.</summary>
    /// <param name="name">The node.</param>
    /// <param name="dropUnsent">Also lose the messages it sent that were not delivered yet (allowed for a failed sender).</param>
    public void Kill(string name, bool dropUnsent = false)
    {
        var node = this[name];
        if (dropUnsent)
        {
            var unsent = _queue.Where(e => e.Sender == name).ToList();
            unsent.ForEach(e => _queue.Remove(e));
        }

        Topology($"{name} loses power", () =>
        {
            node.CorosyncUp = false;
            if (node.DaemonUp)
            {
                node.StopDaemon();
            }

            World.ClearNode(name);
        });
    }

    /// <summary>palisaded dies; corosync and the resources it started keep running.</summary>
    public void ProcDown(string name)
    {
        var node = this[name];
        Require(node.DaemonUp, $"{name} has no daemon");
        Topology($"palisaded dies on {name}", node.StopDaemon);
    }

    /// <summary>Splits the interconnect: nodes see only the nodes on their side.</summary>
    public void Partition(params string[][] sides)
    {
        Require(sides.SelectMany(s => s).Order().SequenceEqual(_nodes.Select(n => n.Name).Order()), "every node must be on exactly one side");
        Topology($"partition {string.Join(" | ", sides.Select(s => string.Join(",", s)))}", () =>
        {
            for (var i = 0; i < sides.Length; i++)
            {
                foreach (var name in sides[i])
                {
                    this[name].Segment = i;
                }
            }
        });
    }

    public void Heal() => Topology("heal", () => _nodes.ForEach(n => n.Segment = 0));

    /// <summary>A fence agent powered the node off (nothing happens to a node already off but its ledger entries).</summary>
    internal void PowerOff(string name)
    {
        if (this[name].CorosyncUp)
        {
            Kill(name);
        }
        else
        {
            World.ClearNode(name);
        }
    }

    /// <summary>Clean shutdown of palisaded (SIGTERM): NodeLeaving, stop every group, then leave the CPG group.</summary>
    public void Leave(string name)
    {
        var node = this[name];
        Require(node.DaemonUp && !node.ShuttingDown, $"{name} has no running daemon");
        Trace(name, "shutting down");
        node.BeginShutdown();
    }

    internal void FinishShutdown(SimNode node) => Topology($"palisaded on {node.Name} leaves", () =>
    {
        node.CleanExit = true;
        node.StopDaemon();
    });

    public bool HasQuorum(SimNode node)
    {
        if (!node.CorosyncUp)
        {
            return false;
        }

        // two_node: both halves stay quorate (corosync's two_node option), the fence race decides.
        var live = _nodes.Count(n => n.CorosyncUp && n.Segment == node.Segment);
        return _nodes.Count == 2 ? live >= 1 : live * 2 > _nodes.Count;
    }

    private void Topology(string what, Action change, IReadOnlyCollection<SimNode>? started = null)
    {
        Trace("world", what);
        change();
        foreach (var node in _nodes.Where(n => n.DaemonUp && n.Quorate && !HasQuorum(n)))
        {
            node.SetQuorate(false);
        }

        var startedIds = started?.Select(n => n.Id).ToImmutableSortedSet() ?? [];
        foreach (var node in _nodes.Where(n => n.DaemonUp))
        {
            var isNew = started?.Contains(node) == true;
            var view = _nodes.Where(n => n.DaemonUp && n.CorosyncUp && n.Segment == node.Segment).Select(n => n.Id).ToImmutableSortedSet();
            var old = isNew ? [] : node.View;
            if (view.SetEquals(old))
            {
                continue;
            }

            // CPG tells a starting daemon that it (with whoever started with it) joined, not everyone already there.
            var joined = isNew ? view.Intersect(startedIds) : view.Except(old);
            var left = old.Except(view).Select(id => new MemberLeft(id, LeaveReasonFor(ById(id), node)));
            Enqueue(new MembershipChanged([.. view], [.. left], [.. joined]), null, [(node, node.Incarnation)]);
            node.View = view;
        }

        foreach (var node in _nodes.Where(n => n.DaemonUp && !n.Quorate && HasQuorum(n)))
        {
            Enqueue(null, null, [(node, node.Incarnation)]);
        }

        foreach (var node in _nodes)
        {
            node.CleanExit = false;
        }
    }

    private static LeaveReason LeaveReasonFor(SimNode gone, SimNode observer) =>
        gone.CleanExit ? LeaveReason.Leave
        : gone.CorosyncUp && gone.Segment == observer.Segment ? LeaveReason.ProcDown
        : LeaveReason.NodeDown;

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException(what);
        }
    }
}
