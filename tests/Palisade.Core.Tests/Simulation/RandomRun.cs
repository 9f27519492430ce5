using Palisade.Core.State;

namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// One seeded random run: boots a cluster, then applies random faults, repairs, operator requests and time advances.
/// <para>
/// Bounded runs stay inside what the design promises to handle: at most (N-1)/2 nodes faulty at once (down, cut
/// off, palisaded dead or leaving, Unclean, or set up to fail a stop), so a quorate majority of daemons always holds
/// the state; every invariant is checked. Unbounded runs do anything; they check only what each replica decides
/// (no fencing without quorum, no start over an Unclean or Fencing owner), not agreement between replicas nor
/// the world ledger, which such runs can break (see the project README).
/// </para>
/// </summary>
internal sealed class RandomRun
{
    private readonly Random _rng;
    private readonly List<string> _steps = [];
    private readonly bool _bounded;
    private readonly int _budget;

    public RandomRun(int seed, bool bounded)
    {
        _rng = new Random(seed);
        _bounded = bounded;
        var nodeCount = seed % 4 == 0 ? 5 : 3;
        _budget = (nodeCount - 1) / 2;
        Names = [.. Enumerable.Range(1, nodeCount).Select(i => $"n{i}")];
        var config = SimConfigs.Cluster(nodeCount, SimConfigs.Group("web", Names), SimConfigs.Group("db", [.. Names.Reverse().Take(2)]));
        Sim = new SimCluster(config, new SimOptions
        {
            StartDuration = Millis(100, 2000),
            StopDuration = Millis(100, 2000),
            FenceDuration = Millis(100, 3000),
            ThrowOnViolation = true,
            CheckAgreement = bounded,
            CheckWorld = bounded,
        });
    }

    public SimCluster Sim { get; }

    public string[] Names { get; }

    public string Steps => string.Join("\n", _steps);

    public void Boot()
    {
        switch (_rng.Next(3))
        {
            case 0:
                Do("boot all together", () => Sim.BootTogether(Names));
                break;
            case 1 when Names.Length == 3:
                // The second node brings quorum with its corosync, before its palisaded joins.
                foreach (var name in Names)
                {
                    Do($"boot {name}", () => Sim.Boot(name));
                    Sim.RunFor(Millis(0, 3000));
                }

                break;
            default:
                foreach (var name in Names)
                {
                    Do($"corosync up on {name}", () => Sim.StartCorosync(name));
                }

                foreach (var name in Names)
                {
                    Do($"palisaded starts on {name}", () => Sim.StartDaemon(name));
                    Sim.RunFor(Millis(0, 3000));
                }

                break;
        }

        Sim.RunFor(TimeSpan.FromSeconds(_rng.Next(1, 40)));
    }

    /// <summary>One random action followed by some time; the caller checks the invariants after it.</summary>
    public void Step()
    {
        var roll = _rng.Next(100);
        var canFail = !_bounded || Faulty() < _budget;
        switch (roll)
        {
            case < 10 when canFail: Kill(); break;
            case < 18 when canFail: ProcDown(); break;
            case < 32: Repair(); break;
            case < 40 when canFail: Partition(); break;
            case < 48: Do("heal", Sim.Heal); break;
            case < 64: Fault(canFail); break;
            case < 68: Do("clear faults", Sim.Faults.Clear); break;
            case < 82: Admin(); break;
            case < 86 when canFail: Leave(); break;
            default: Do("wait", () => { }); break;
        }

        Sim.RunFor(_rng.Next(10) == 0 ? TimeSpan.FromSeconds(_rng.Next(20, 70)) : Millis(0, 8000));
    }

    /// <summary>
    /// Repairs everything (faults cleared, network healed, every node and daemon started again, also after the
    /// fencing that repair allows), starts groups that gave up, and lets the cluster settle.
    /// </summary>
    public void RepairAll()
    {
        Do("clear faults and heal", () =>
        {
            Sim.Faults.Clear();
            Sim.Heal();
        });
        // Nodes still Unclean get fenced (powered off) now that fencing works: boot them again until all are back.
        for (var round = 0; round < 6 && !AllBack(); round++)
        {
            foreach (var node in Sim.Nodes.Where(n => !n.DaemonUp && !n.ShuttingDown).ToList())
            {
                Do($"boot {node.Name}", () => Sim.Boot(node.Name));
            }

            Sim.RunFor(TimeSpan.FromSeconds(30));
        }

        foreach (var group in Sim.Config.Groups.Where(g => Sim.SyncedNodes.Any() && Sim.Group(g.Name).State == GroupState.Failed))
        {
            Do($"operator: start {group.Name}", () => Sim.Request(Sim.SyncedNodes.First().Name, group.Name, AdminAction.Start));
        }

        Sim.RunFor(TimeSpan.FromSeconds(30));
    }

    private bool AllBack() =>
        Sim.Nodes.All(n => n.Synced && n.State!.Nodes.Values.All(s => s.State == NodeState.Online));

    /// <summary>Nodes that count against the fault budget.</summary>
    private int Faulty()
    {
        var main = Sim.Nodes.Where(n => n.CorosyncUp).GroupBy(n => n.Segment).MaxBy(g => g.Count())?.Key ?? 0;
        var views = Sim.SyncedNodes.Where(n => n.Quorate).Select(n => n.State!).ToList();
        var failingStops = Sim.Faults.NodesFailingStops.ToHashSet();
        return Sim.Nodes.Count(n =>
            !n.CorosyncUp || !n.DaemonUp || n.ShuttingDown || n.Segment != main || failingStops.Contains(n.Name)
            || views.Any(v => v.Nodes[n.Name].State is NodeState.Unclean or NodeState.Fencing));
    }

    private void Kill()
    {
        if (Pick(Sim.Nodes.Where(n => n.CorosyncUp)) is { } node)
        {
            var drop = _rng.Next(3) == 0;
            Do($"kill {node.Name}{(drop ? " losing its unsent messages" : "")}", () => Sim.Kill(node.Name, drop));
        }
    }

    private void ProcDown()
    {
        if (Pick(Sim.Nodes.Where(n => n.DaemonUp && !n.ShuttingDown)) is { } node)
        {
            Do($"palisaded dies on {node.Name}", () => Sim.ProcDown(node.Name));
        }
    }

    private void Repair()
    {
        if (Pick(Sim.Nodes.Where(n => !n.DaemonUp && !n.ShuttingDown)) is { } node)
        {
            Do(node.CorosyncUp ? $"restart palisaded on {node.Name}" : $"boot {node.Name}", () => Sim.Boot(node.Name));
        }
    }

    private void Partition()
    {
        string[][] sides;
        if (_bounded)
        {
            // Cut off some healthy nodes, as many as the budget allows; down nodes stay with the majority.
            var healthy = Sim.Nodes.Where(n => n.CorosyncUp && n.DaemonUp && !n.ShuttingDown).Select(n => n.Name).ToList();
            var cut = healthy.OrderBy(_ => _rng.Next()).Take(_rng.Next(1, _budget - Faulty() + 1)).ToHashSet();
            sides = [[.. Names.Where(cut.Contains)], [.. Names.Where(n => !cut.Contains(n))]];
        }
        else
        {
            sides = [.. Names.GroupBy(_ => _rng.Next(_rng.Next(2) == 0 ? 2 : 3)).Select(g => g.ToArray())];
        }

        if (sides.Length > 1 && sides.All(s => s.Length > 0))
        {
            Do($"partition {string.Join(" | ", sides.Select(s => string.Join(",", s)))}", () => Sim.Partition(sides));
        }
    }

    private void Fault(bool canFail)
    {
        var group = _rng.Next(2) == 0 ? "web" : "db";
        var node = Names[_rng.Next(Names.Length)];
        var times = _rng.Next(4) == 0 ? SimFaults.Always : _rng.Next(1, 3);
        var label = times == SimFaults.Always ? "always" : $"{times}x";
        switch (_rng.Next(3))
        {
            case 0:
                Do($"start of {group} on {node} fails {label}", () => Sim.Faults.FailStart(group, node, times));
                break;
            case 1 when canFail:
                Do($"stop of {group} on {node} fails {label}", () => Sim.Faults.FailStop(group, node, times));
                break;
            default:
                Do($"fencing {node} fails {label}", () => Sim.Faults.FailFence(node, times));
                break;
        }
    }

    private void Admin()
    {
        var group = _rng.Next(2) == 0 ? "web" : "db";
        var action = (AdminAction)_rng.Next(3);
        var nodes = Sim.Config.FindGroup(group)!.Nodes;
        var to = action == AdminAction.Move && _rng.Next(3) > 0 ? nodes[_rng.Next(nodes.Length)] : null;
        if (Pick(Sim.Nodes.Where(n => n.Synced && !n.ShuttingDown)) is { } from)
        {
            Do($"operator on {from.Name}: {action} {group}{(to is null ? "" : " to " + to)}", () => Sim.Request(from.Name, group, action, to));
        }
    }

    private void Leave()
    {
        if (Pick(Sim.Nodes.Where(n => n.DaemonUp && !n.ShuttingDown)) is { } node)
        {
            Do($"clean shutdown of {node.Name}", () => Sim.Leave(node.Name));
        }
    }

    private void Do(string what, Action action)
    {
        _steps.Add($"{Sim.Now:HH:mm:ss.fff} {what}");
        action();
    }

    private SimNode? Pick(IEnumerable<SimNode> candidates)
    {
        var list = candidates.ToList();
        return list.Count == 0 ? null : list[_rng.Next(list.Count)];
    }

    private TimeSpan Millis(int min, int max) => TimeSpan.FromMilliseconds(_rng.Next(min, max));
}
