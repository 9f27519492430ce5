using System.Diagnostics;
using Palisade.Simulation.World;

namespace Palisade.Simulation.Schedules;

/// <summary>How one schedule ended.</summary>
internal sealed record RunResult(Schedule Schedule, IReadOnlyList<string> Violations, ulong TraceHash, long Events, TimeSpan Simulated, string Trace)
{
    public bool Failed => Violations.Count > 0;
}

/// <summary>Runs one schedule in a fresh world: boots every node, applies the steps, heals, then checks liveness.</summary>
internal static class ScheduleRunner
{
    public static readonly TimeSpan LivenessBound = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LivenessPoll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Overrun = TimeSpan.FromSeconds(15);

    public static RunResult Run(Schedule schedule, bool keepTrace = false)
    {
        var config = SimClusters.Get(schedule.Cluster, schedule.Monitored, schedule.Ladder);
        var world = new SimWorld(config, schedule.Seed, keepTrace);
        foreach (var node in world.Nodes)
        {
            world.Scheduler.At(SimWorld.Epoch + world.Duration(0, 2000), () => world.PowerOn(node));
        }

        foreach (var step in schedule.Steps)
        {
            world.Scheduler.At(SimWorld.Epoch + step.At, () => StepEffects.Apply(world, step));
        }

        var checkedAt = -1L;
        void Check()
        {
            if (world.Corosync.Quiet && world.Deliveries != checkedAt)
            {
                checkedAt = world.Deliveries;
                world.Checks.CheckAgreement();
            }

            world.Scheduler.After(CheckInterval, Check);
        }

        world.Scheduler.After(CheckInterval, Check);
        // Liveness holds once every group is where it should be within the bound after the heal; the run goes on a
        // little beyond that moment (safety checks stay on), then stops early.
        var end = SimWorld.Epoch + schedule.HealAt + LivenessBound;
        DateTimeOffset? settledAt = null;
        void Watch()
        {
            if (settledAt is null && world.Checks.LivenessProblems().Count == 0)
            {
                settledAt = world.Now;
            }

            world.Scheduler.After(LivenessPoll, Watch);
        }

        world.Scheduler.At(SimWorld.Epoch + schedule.HealAt + LivenessPoll, Watch);
        world.Scheduler.RunUntil(end, () => world.Checks.Violations.Count > 0 || world.Now >= settledAt + Overrun);
        if (world.Checks.Violations.Count == 0 && settledAt is null)
        {
            world.Checks.ReportLiveness(LivenessBound);
        }

        return new RunResult(schedule, [.. world.Checks.Violations], world.Trace.Hash, world.Trace.Events, world.Now - SimWorld.Epoch,
            keepTrace ? world.Trace.Text : "");
    }

    /// <summary>
    /// Drops steps one at a time while the run still fails, to leave the shortest replay that shows a violation.
    /// </summary>
    public static Schedule Shrink(Schedule failing, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        var current = failing;
        var progress = true;
        while (progress && clock.Elapsed < budget)
        {
            progress = false;
            for (var i = current.Steps.Length - 2; i >= 0 && clock.Elapsed < budget; i--)
            {
                var candidate = current with { Steps = current.Steps.RemoveAt(i) };
                if (Run(candidate).Failed)
                {
                    current = candidate;
                    progress = true;
                }
            }
        }

        return current;
    }
}
