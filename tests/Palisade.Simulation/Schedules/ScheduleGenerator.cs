using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Simulation.World;

namespace Palisade.Simulation.Schedules;

/// <summary>Draws a fault schedule from a seed: which cluster, which faults, when; it always ends by healing everything.</summary>
internal static class ScheduleGenerator
{
    private static readonly (StepKind Kind, int Weight)[] Kinds =
    [
        (StepKind.PowerOff, 8), (StepKind.PowerOn, 6), (StepKind.KillDaemon, 6), (StepKind.StartDaemon, 6),
        (StepKind.TerminateDaemon, 3), (StepKind.KillCorosync, 3), (StepKind.StartCorosync, 3),
        (StepKind.SplitInterconnect, 8), (StepKind.SplitAdmin, 4), (StepKind.AdminLoss, 2), (StepKind.AdminDelay, 2),
        (StepKind.ResourceFault, 6), (StepKind.ResourceCrash, 4), (StepKind.ShutdownFault, 4), (StepKind.ClockJump, 2),
        (StepKind.QuorumBusy, 3), (StepKind.SendBusy, 3), (StepKind.Operator, 8),
    ];

    /// <param name="monitors">
    /// Whether the schedule may have a listed monitor and fault it. Decided by a stream of its own, after the other
    /// steps are drawn, so a seed's other steps are the same either way (the seeds pinned before monitors existed
    /// run with <c>false</c> and replay exactly what they found).
    /// </param>
    /// <param name="nodeOperations">
    /// Whether the schedule may put a node in standby and turn maintenance on (and off after the heal), from a stream
    /// of its own: a seed's other steps are the same either way.
    /// </param>
    public static Schedule Generate(int seed, int steps, string? cluster = null, bool monitors = true, bool nodeOperations = true)
    {
        var rng = new Random(seed);
        cluster ??= SimClusters.Names[rng.Next(SimClusters.Names.Length)];
        var config = SimClusters.Get(cluster);
        var list = ImmutableArray.CreateBuilder<Step>();
        var at = TimeSpan.FromSeconds(rng.Next(2_000, 40_000) / 1000.0);
        for (var i = 0; i < steps; i++)
        {
            list.Add(Draw(rng, config, at));
            at += TimeSpan.FromMilliseconds(rng.Next(50, 15_000));
        }

        list.Add(new Step(at + TimeSpan.FromMilliseconds(rng.Next(1_000, 20_000)), StepKind.HealAll));
        var schedule = new Schedule(seed, cluster, list.ToImmutable());
        schedule = monitors ? WithDownReports(WithMonitorFaults(schedule, config), config) : schedule;
        return nodeOperations ? WithNodeOperations(schedule, config) : schedule;
    }

    /// <summary>
    /// One schedule in three puts a node in standby (and most take it out again, before or after the heal); one in
    /// four turns maintenance on before the heal and asks, from several nodes, to turn it off after the heal.
    /// </summary>
    private static Schedule WithNodeOperations(Schedule schedule, ClusterConfig config)
    {
        var rng = new Random(unchecked((schedule.Seed * 15485863) + 7));
        var steps = schedule.Steps.ToList();
        var heal = (int)schedule.HealAt.TotalMilliseconds;
        var added = new List<Step>();
        string Node() => config.Nodes[rng.Next(config.Nodes.Length)].Name;
        if (rng.Next(3) == 0)
        {
            var subject = Node();
            var on = rng.Next(2_000, Math.Max(2_001, heal));
            added.Add(new Step(TimeSpan.FromMilliseconds(on), StepKind.Operator) { Node = Node(), Verb = "standby", Subject = subject });
            if (rng.Next(4) != 0)
            {
                added.Add(new Step(TimeSpan.FromMilliseconds(rng.Next(on + 1, heal + 20_000)), StepKind.Operator) { Node = Node(), Verb = "online", Subject = subject });
            }
        }

        if (rng.Next(4) == 0)
        {
            added.Add(new Step(TimeSpan.FromMilliseconds(rng.Next(2_000, Math.Max(2_001, heal))), StepKind.Operator) { Node = Node(), Verb = "maintenance", Subject = "on" });
            foreach (var after in new[] { 3_000, 8_000, 15_000, 25_000, 35_000 })
            {
                added.Add(new Step(TimeSpan.FromMilliseconds(heal + after), StepKind.Operator) { Node = Node(), Verb = "maintenance", Subject = "off" });
            }
        }

        foreach (var step in added)
        {
            var at = steps.FindIndex(s => s.At > step.At);
            steps.Insert(at >= 0 ? at : steps.Count, step);
        }

        return schedule with { Steps = [.. steps] };
    }

    /// <summary>
    /// Messages that a node is down, from a stream of their own (so a seed's other steps stay as they were): most
    /// power-offs are reported at once, some twice, some late; and now and then a node that runs is reported down.
    /// </summary>
    private static Schedule WithDownReports(Schedule schedule, ClusterConfig config)
    {
        var rng = new Random(unchecked((schedule.Seed * 104729) + 31));
        var steps = schedule.Steps.ToList();
        var reports = new List<Step>();
        foreach (var off in schedule.Steps.Where(s => s.Kind == StepKind.PowerOff))
        {
            if (rng.Next(10) < 7)
            {
                reports.Add(new Step(off.At + TimeSpan.FromMilliseconds(rng.Next(20, 800)), StepKind.DownReport) { Subject = off.Node, Node = Reporter(rng, config, off.Node) });
            }

            if (rng.Next(10) < 2)
            {
                reports.Add(new Step(off.At + TimeSpan.FromMilliseconds(rng.Next(800, 30_000)), StepKind.DownReport) { Subject = off.Node, Node = Reporter(rng, config, off.Node) });
            }
        }

        for (var i = rng.Next(3); i > 0; i--)
        {
            var subject = config.Nodes[rng.Next(config.Nodes.Length)].Name;
            reports.Add(new Step(TimeSpan.FromMilliseconds(rng.Next(2_000, Math.Max(2_001, (int)schedule.HealAt.TotalMilliseconds))), StepKind.DownReport)
            {
                Subject = subject,
                Node = Reporter(rng, config, subject),
            });
        }

        foreach (var report in reports.Where(r => r.At < schedule.HealAt))
        {
            steps.Insert(steps.FindIndex(s => s.At > report.At) is var at and >= 0 ? at : steps.Count - 1, report);
        }

        return schedule with { Steps = [.. steps] };
    }

    /// <summary>Another node's intake, or empty (the first running one).</summary>
    private static string Reporter(Random rng, ClusterConfig config, string subject)
    {
        var others = config.Nodes.Where(n => n.Name != subject).Select(n => n.Name).ToList();
        return rng.Next(3) == 0 || others.Count == 0 ? "" : others[rng.Next(others.Count)];
    }

    /// <summary>Half the schedules get the listed monitor, with one to three faults of it at random times before the heal.</summary>
    private static Schedule WithMonitorFaults(Schedule schedule, ClusterConfig config)
    {
        var rng = new Random(unchecked((schedule.Seed * 7919) + 17));
        if (rng.Next(2) == 0)
        {
            return schedule;
        }

        var steps = schedule.Steps.ToList();
        var heal = schedule.HealAt;
        var g1 = config.Groups[0];
        for (var i = rng.Next(1, 4); i > 0; i--)
        {
            var fault = new Step(TimeSpan.FromMilliseconds(rng.Next(2_000, Math.Max(2_001, (int)heal.TotalMilliseconds))), StepKind.MonitorFault)
            {
                Node = Any(rng, g1.Nodes),
                Subject = g1.Name,
                Fault = Any(rng, [AgentFault.Fail, AgentFault.Hang, AgentFault.Lie]),
            };
            steps.Insert(steps.FindIndex(s => s.At > fault.At) is var at and >= 0 ? at : steps.Count - 1, fault);
        }

        // Drawn last, so the faults above are what they were before ladders were drawn.
        return schedule with { Steps = [.. steps], Monitored = true, Ladder = rng.Next(SimClusters.Ladders.Length) };
    }

    private static Step Draw(Random rng, ClusterConfig config, TimeSpan at)
    {
        var kind = Pick(rng);
        var node = Any(rng, config.Nodes.Select(n => n.Name));
        var group = config.Groups[rng.Next(config.Groups.Length)];
        var step = new Step(at, kind) { Node = node };
        return kind switch
        {
            StepKind.SplitInterconnect or StepKind.SplitAdmin => step with { Sides = Sides(rng, config.Nodes.Length) },
            StepKind.AdminLoss => step with { Rate = rng.Next(20, 101) / 100.0, Span = Seconds(rng, 1, 30) },
            StepKind.AdminDelay => step with { Span = Seconds(rng, 0.5, 5), Rate = 1 },
            StepKind.ResourceFault => step with
            {
                Subject = group.Name,
                Action = Any(rng, [AgentAction.Start, AgentAction.Stop, AgentAction.Monitor]),
                Fault = Any(rng, [AgentFault.Fail, AgentFault.Hang, AgentFault.Lie]),
            },
            StepKind.ResourceCrash => step with { Subject = group.Name },
            StepKind.ShutdownFault => step with
            {
                Subject = Any(rng, config.Nodes.Select(n => n.Name).Where(n => n != node)),
                Action = Any(rng, [AgentAction.Kill, AgentAction.Kill, AgentAction.Test]),
                Fault = Any(rng, [AgentFault.Fail, AgentFault.Hang, AgentFault.Lie]),
            },
            StepKind.ClockJump => step with { Span = Seconds(rng, 1, 30) * (rng.Next(2) == 0 ? -1 : 1) },
            StepKind.QuorumBusy => step with { Span = Seconds(rng, 0.2, 3) },
            StepKind.SendBusy => step with { Span = Seconds(rng, 0.2, 15) },
            StepKind.Operator => Operator(rng, step, group),
            _ => step,
        };
    }

    private static Step Operator(Random rng, Step step, GroupConfig group)
    {
        var verb = Any(rng, ["start", "stop", "move"]);
        return step with { Verb = verb, Subject = group.Name, To = verb == "move" && rng.Next(2) == 0 ? Any(rng, group.Nodes) : null };
    }

    /// <summary>A cut into two or three sides, or (one time in three) a healed network.</summary>
    private static ImmutableArray<int> Sides(Random rng, int nodes)
    {
        if (rng.Next(3) == 0)
        {
            return [.. Enumerable.Repeat(0, nodes)];
        }

        var count = nodes > 2 && rng.Next(4) == 0 ? 3 : 2;
        return [.. Enumerable.Range(0, nodes).Select(_ => rng.Next(count))];
    }

    private static TimeSpan Seconds(Random rng, double min, double max) => TimeSpan.FromMilliseconds(rng.Next((int)(min * 1000), (int)(max * 1000) + 1));

    private static T Any<T>(Random rng, IEnumerable<T> items)
    {
        var list = items.ToList();
        return list[rng.Next(list.Count)];
    }

    private static StepKind Pick(Random rng)
    {
        var roll = rng.Next(Kinds.Sum(k => k.Weight));
        foreach (var (kind, weight) in Kinds)
        {
            if (roll < weight)
            {
                return kind;
            }

            roll -= weight;
        }

        throw new InvalidOperationException("unreachable: weights cover the roll");
    }
}
