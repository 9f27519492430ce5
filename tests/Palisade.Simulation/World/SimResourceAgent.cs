using Palisade.Agents;
using Palisade.Core.Configuration;

namespace Palisade.Simulation.World;

/// <summary>A resource whose truth is the world's ledger; starts and stops take time and fail as the schedule says.</summary>
internal sealed class SimResourceAgent(SimWorld world, SimNode node, TimeProvider clock, string group, ResourceConfig resource) : IResourceAgent
{
    public string Name => resource.Name;

    public async Task<AgentResult> StartAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        world.Ledger.Start(node.Name, group, Name);
        var fault = world.Faults.Get(node.Name, group, AgentAction.Start);
        if (fault == AgentFault.Hang)
        {
            await Wait(resource.StartTimeout);
            return Result(started, AgentOutcome.TimedOut, $"start did not finish within {resource.StartTimeout.TotalSeconds:0} s");
        }

        await Wait(world.Duration(50, 2000));
        switch (fault)
        {
            case AgentFault.Fail:
                world.Ledger.Stop(node.Name, group, Name);
                return Result(started, AgentOutcome.Failed, "start failed (simulated)");
            case AgentFault.Lie:
                return Result(started, AgentOutcome.Failed, "start said it failed (simulated; it runs)");
            default:
                return Result(started, AgentOutcome.Success, "started");
        }
    }

    public async Task<AgentResult> StopAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var fault = world.Faults.Get(node.Name, group, AgentAction.Stop);
        if (fault == AgentFault.Hang)
        {
            await Wait(resource.StopTimeout);
            return Result(started, AgentOutcome.TimedOut, $"stop did not finish within {resource.StopTimeout.TotalSeconds:0} s");
        }

        await Wait(world.Duration(50, 1500));
        if (fault == AgentFault.Fail)
        {
            return Result(started, AgentOutcome.Failed, "stop failed (simulated)");
        }

        world.Ledger.Stop(node.Name, group, Name);
        return fault == AgentFault.Lie ? Result(started, AgentOutcome.Failed, "stop said it failed (simulated; it stopped)") : Result(started, AgentOutcome.Success, "stopped");
    }

    public async Task<AgentResult> MonitorAsync(CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var fault = world.Faults.Get(node.Name, group, AgentAction.Monitor);
        if (fault == AgentFault.Hang)
        {
            await Wait(resource.MonitorTimeout);
            return Result(started, AgentOutcome.TimedOut, $"monitor did not answer within {resource.MonitorTimeout.TotalSeconds:0} s");
        }

        await Wait(world.Duration(5, 100));
        var running = world.Ledger.IsRunning(node.Name, group, Name);
        return fault switch
        {
            AgentFault.Fail => Result(started, AgentOutcome.Failed, "monitor failed (simulated)"),
            AgentFault.Lie when running => Result(started, AgentOutcome.Failed, "monitor said it failed (simulated; it runs)"),
            _ => running ? Result(started, AgentOutcome.Success, "running") : Result(started, AgentOutcome.NotRunning, "not running"),
        };
    }

    /// <summary>Agent processes run to their own end: a cancelled caller does not stop them early.</summary>
    private Task Wait(TimeSpan delay) => Task.Delay(delay, clock);

    private AgentResult Result(long started, AgentOutcome outcome, string reason) =>
        new(outcome, outcome == AgentOutcome.Success ? 0 : 1, $"{group}/{Name} on {node.Name}: {reason}", "", clock.GetElapsedTime(started));
}

internal sealed class SimResourceAgents(SimWorld world, SimNode node, TimeProvider clock) : Daemon.IResourceAgentFactory
{
    public IResourceAgent Create(ResourceConfig resource, string group, string node1) => new SimResourceAgent(world, node, clock, group, resource);
}
