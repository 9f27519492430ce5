using Palisade.Core.Control;
using Palisade.Simulation.World;

namespace Palisade.Simulation.Schedules;

/// <summary>What each step does to the world.</summary>
internal static class StepEffects
{
    public static void Apply(SimWorld world, Step step)
    {
        world.Note("step", step.ToString());
        var node = step.Node.Length > 0 ? world.Node(step.Node) : null;
        var now = world.Now;
        switch (step.Kind)
        {
            case StepKind.PowerOff:
                world.PowerOff(node!, "power failure (simulated)");
                break;
            case StepKind.PowerOn:
                world.PowerOn(node!);
                break;
            case StepKind.KillDaemon:
                world.KillDaemon(node!);
                break;
            case StepKind.StartDaemon:
                world.StartDaemon(node!);
                break;
            case StepKind.TerminateDaemon:
                world.TerminateDaemon(node!);
                break;
            case StepKind.KillCorosync:
                world.KillCorosync(node!);
                break;
            case StepKind.StartCorosync:
                world.StartCorosync(node!);
                world.Scheduler.After(world.Duration(200, 800), () => world.StartDaemon(node!));
                break;
            case StepKind.SplitInterconnect:
                world.SplitInterconnect(step.Sides);
                break;
            case StepKind.SplitAdmin:
                world.SplitAdmin(step.Sides);
                break;
            case StepKind.AdminLoss:
                world.AdminLan.LossRate = step.Rate;
                world.AdminLan.LossyUntil = now + step.Span;
                break;
            case StepKind.AdminDelay:
                world.AdminLan.ExtraDelay = step.Span;
                world.AdminLan.SlowUntil = now + TimeSpan.FromSeconds(30);
                break;
            case StepKind.ResourceFault:
                world.Faults.Set(step.Node, step.Subject, step.Action, step.Fault);
                break;
            case StepKind.ResourceCrash:
                foreach (var resource in world.Config.FindGroup(step.Subject)!.Resources)
                {
                    world.Ledger.Stop(step.Node, step.Subject, resource.Name);
                }

                break;
            case StepKind.MonitorFault:
                world.Faults.Set(step.Node, step.Subject, AgentAction.Watch, step.Fault);
                break;
            case StepKind.ShutdownFault:
                world.Faults.Set(step.Node, step.Subject, step.Action, step.Fault);
                break;
            case StepKind.ClockJump:
                node!.WallOffset += step.Span;
                break;
            case StepKind.QuorumBusy:
                node!.QuorumBusyUntil = now + step.Span;
                break;
            case StepKind.SendBusy:
                node!.SendBusyUntil = now + step.Span;
                break;
            case StepKind.Operator:
                var request = step.Verb switch
                {
                    "standby" or "online" => new ControlRequest("node", step.Verb, Target: step.Subject),
                    "maintenance" => new ControlRequest("maintenance", step.Subject),
                    _ => new ControlRequest("group", step.Verb, step.Subject, step.To),
                };
                node!.Process?.Submit(request,
                    r => world.Note(step.Node, $"operator {step.Verb} {step.Subject}: {(r.Ok ? r.Message : "refused: " + r.Error)}"));
                break;
            case StepKind.HealAll:
                HealAll(world);
                break;
            case StepKind.DownReport:
                var reporter = node ?? world.Nodes.FirstOrDefault(n => n.Name != step.Subject && n.DaemonRunning);
                reporter?.Process?.ReportDown(step.Subject, $"power-off reported by the simulated BMC of {step.Subject} (at {step.At.TotalSeconds:0.000}s)");
                break;
        }
    }

    /// <summary>Every fault ends: networks whole, agents sound, corosync and palisaded running on every node.</summary>
    private static void HealAll(SimWorld world)
    {
        world.SplitInterconnect([.. world.Nodes.Select(_ => 0)]);
        world.SplitAdmin([.. world.Nodes.Select(_ => 0)]);
        world.Faults.Clear();
        world.AdminLan.LossyUntil = world.Now;
        world.AdminLan.SlowUntil = world.Now;
        foreach (var node in world.Nodes)
        {
            node.QuorumBusyUntil = world.Now;
            node.SendBusyUntil = world.Now;
            if (!node.Powered)
            {
                world.PowerOn(node);
            }
            else
            {
                world.StartCorosync(node);
                world.Scheduler.After(world.Duration(200, 800), () => StartDaemonOnceGone(world, node));
            }
        }
    }

    /// <summary>
    /// As the node's boot script would: a palisaded still shutting down (an operator's stop, or its corosync died and
    /// it is stopping its groups before it exits 3) is started again once it has exited. The old process holds the
    /// instance lock until then, so a real restart cannot come sooner; a supervisor would not wait longer.
    /// </summary>
    private static void StartDaemonOnceGone(SimWorld world, SimNode node)
    {
        if (node.DaemonRunning && (node.Process!.Host is { Leaving: true } || node.Process.Link.State != LinkState.Open))
        {
            world.Scheduler.After(TimeSpan.FromMilliseconds(500), () => StartDaemonOnceGone(world, node));
            return;
        }

        world.StartDaemon(node);
    }
}
