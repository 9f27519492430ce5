using Palisade.Core.State;

namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// One seeded random run: boots a cluster, then applies random faults, repairs, operator requests and time advances,
/// checking the invariants after every step. The step log is part of every failure message.
/// </summary>
internal sealed class RandomRun
{
    private readonly Random _rng;
    private readonly List<string> _steps = [];

    public RandomRun(int seed)
    {
        _rng = new Random(seed);
        var nodeCount = seed % 4 == 0 ? 5 : 3;
        var names = Enumerable.Range(1, nodeCount).Select(i => $"n{i}").ToArray();
        var config = SimConfigs.Cluster(nodeCount, SimConfigs.Group("web", names), SimConfigs.Group("db", [.. names.Reverse().Take(2)]));
        Sim = new SimCluster(config, new SimOptions
        {
            StartDuration = Millis(100, 2000),
            StopDuration = Millis(100, 2000),
            FenceDuration = Millis(100, 3000),
            ThrowOnViolation = true,
        });
        Names = names;
    }

    public SimCluster Sim { get; }

    public string[] Names { get; }

    public string Steps => string.Join("\n", _steps);

    public void Boot()
    {
        if (_rng.Next(2) == 0)
        {
            Do("boot all together", () => Sim.BootTogether(Names));
        }
        else
        {
            foreach (var name in Names)
            {
                Do($"boot {name}", () => Sim.Boot(name));
                Sim.RunFor(Millis(0, 3000));
            }
        }

        Sim.RunFor(TimeSpan.FromSeconds(_rng.Next(1, 40)));
    }

    /// <summary>One random action followed by some time; the caller checks the invariants after it.</summary>
    public void Step()
    {
        var roll = _rng.Next(100);
        switch (roll)
        {
            case < 10: Kill(); break;
            case < 18: ProcDown(); break;
            case < 32: Repair(); break;
            case < 40: Partition(); break;
            case < 48: Do("heal", Sim.Heal); break;
            case < 64: Fault(); break;
            case < 68: Do("clear faults", Sim.Faults.Clear); break;
            case < 82: Admin(); break;
            case < 86: Leave(); break;
            default: Do("wait", () => { }); break;
        }

        Sim.RunFor(_rng.Next(10) == 0 ? TimeSpan.FromSeconds(_rng.Next(20, 70)) : Millis(0, 8000));
    }

    /// <summary>Everything repaired: faults cleared, network healed, every node and daemon started.</summary>
    public void RepairAll()
    {
        Do("clear faults and heal", () =>
        {
            Sim.Faults.Clear();
            Sim.Heal();
        });
        foreach (var node in Sim.Nodes.Where(n => !n.DaemonUp && !n.ShuttingDown).ToList())
        {
            Do($"boot {node.Name}", () => Sim.Boot(node.Name));
        }
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
        if (Pick(Sim.Nodes.Where(n => !n.DaemonUp)) is { } node)
        {
            Do(node.CorosyncUp ? $"restart palisaded on {node.Name}" : $"boot {node.Name}", () => Sim.Boot(node.Name));
        }
    }

    private void Partition()
    {
        var sides = Names.GroupBy(_ => _rng.Next(2)).Select(g => g.ToArray()).ToArray();
        if (sides.Length == 2)
        {
            Do($"partition {string.Join(" | ", sides.Select(s => string.Join(",", s)))}", () => Sim.Partition(sides));
        }
    }

    private void Fault()
    {
        var group = _rng.Next(2) == 0 ? "web" : "db";
        var node = Names[_rng.Next(Names.Length)];
        var times = _rng.Next(4) == 0 ? SimFaults.Always : _rng.Next(1, 3);
        var label = times == SimFaults.Always ? "always" : $"{times}x";
        switch (_rng.Next(3))
        {
            case 0: Do($"start of {group} on {node} fails {label}", () => Sim.Faults.FailStart(group, node, times)); break;
            case 1: Do($"stop of {group} on {node} fails {label}", () => Sim.Faults.FailStop(group, node, times)); break;
            default: Do($"fencing {node} fails {label}", () => Sim.Faults.FailFence(node, times)); break;
        }
    }

    private void Admin()
    {
        var group = _rng.Next(2) == 0 ? "web" : "db";
        var action = (AdminAction)_rng.Next(3);
        var nodes = Sim.Config.FindGroup(group)!.Nodes;
        var to = action == AdminAction.Move && _rng.Next(3) > 0 ? nodes[_rng.Next(nodes.Length)] : null;
        if (Pick(Sim.Nodes.Where(n => n.Synced)) is { } from)
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
