using Palisade.Agents;
using Palisade.Core.Configuration;

namespace Palisade.Simulation.World;

/// <summary>
/// A BMC-like shutdown agent: a kill reaches the target's BMC after a moment and powers it off there (whatever
/// becomes of the node that sent it), then the agent confirms. Faults: fail, hang, lie (powers off, says it failed).
/// It reads the target's power too (the faults of <see cref="AgentAction.Test"/>: fail reads unknown, hang never
/// answers, lie reads on whatever the power is); it cannot switch it on.
/// </summary>
internal sealed class SimShutdownAgent(SimWorld world, SimNode caller, TimeProvider clock, ShutdownAgentConfig config, SimNode target) : IShutdownAgent, IPowerSwitch
{
    public async Task<(AgentResult Result, PowerState State)> PowerStatusAsync(CancellationToken ct)
    {
        var fault = world.Faults.Get(caller.Name, target.Name, AgentAction.Test);
        if (fault == AgentFault.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, clock, ct);
        }

        await Task.Delay(world.Duration(20, 300), clock, ct);
        return fault switch
        {
            AgentFault.Fail => (Result(AgentOutcome.Failed, "BMC does not answer (simulated)"), PowerState.Unknown),
            AgentFault.Lie => (Result(AgentOutcome.Success, "power is on (simulated; a lie)"), PowerState.On),
            _ => target.Powered ? (Result(AgentOutcome.Success, "power is on"), PowerState.On) : (Result(AgentOutcome.Success, "power is off"), PowerState.Off),
        };
    }

    public async Task<AgentResult> PowerOnAsync(CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(10), clock, ct);
        return Result(AgentOutcome.Failed, "the simulated BMC does not switch power on");
    }

    public string Type => config.Type;

    public async Task<AgentResult> InitAsync(CancellationToken ct)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(10), clock, ct);
        return Result(AgentOutcome.Success, "initialised");
    }

    public async Task<AgentResult> TestAsync(CancellationToken ct)
    {
        await Task.Delay(world.Duration(20, 200), clock, ct);
        return world.Faults.Get(caller.Name, target.Name, AgentAction.Test) == AgentFault.None
            ? Result(AgentOutcome.Success, "BMC answers")
            : Result(AgentOutcome.Failed, "BMC does not answer (simulated)");
    }

    public async Task<AgentResult> KillAsync(CancellationToken ct)
    {
        world.Checks.OnKillBegins(caller, target);
        var fault = world.Faults.Get(caller.Name, target.Name, AgentAction.Kill);
        switch (fault)
        {
            case AgentFault.Hang:
                await Task.Delay(Timeout.InfiniteTimeSpan, clock, ct); // ends when the shutdown daemon gives up
                return Result(AgentOutcome.TimedOut, "no answer");
            case AgentFault.Fail:
                await Task.Delay(world.Duration(200, 3000), clock, ct);
                return Result(AgentOutcome.Failed, "BMC refused the power off (simulated)");
        }

        var reach = world.Duration(100, 800);
        world.Scheduler.After(reach, () => world.FencePowerOff(caller, target));
        await Task.Delay(reach + world.Duration(100, 1500), clock, ct);
        return fault == AgentFault.Lie
            ? Result(AgentOutcome.Failed, "BMC said the power off failed (simulated; it is off)")
            : Result(AgentOutcome.Success, "power is off");
    }

    private AgentResult Result(AgentOutcome outcome, string reason) =>
        new(outcome, outcome == AgentOutcome.Success ? 0 : 1, $"{target.Name} via sim-bmc: {reason}", "", TimeSpan.Zero);
}

internal sealed class SimShutdownAgents(SimWorld world, SimNode caller, TimeProvider clock) : Daemon.IShutdownAgentFactory
{
    public IShutdownAgent Create(ShutdownAgentConfig agent, NodeConfig target) =>
        new SimShutdownAgent(world, caller, clock, agent, world.Node(target.Name));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
