using Palisade.Agents.Monitors;
using Palisade.Core.Configuration;

namespace Palisade.Simulation.World;

/// <summary>
/// The check of a listed monitor in the simulated world: Normal unless the schedule faulted it on this node (it then
/// fails, hangs until its timeout, or raises a false alarm while all is well); takes a little simulated time.
/// </summary>
internal sealed class SimMonitorCheck(SimWorld world, SimNode node, TimeProvider clock, MonitorConfig monitor) : IMonitorCheck
{
    public async Task<CheckResult> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var fault = world.Faults.Get(node.Name, monitor.Target, AgentAction.Watch);
        if (fault == AgentFault.Hang)
        {
            await Task.Delay(timeout, clock, ct);
            return new CheckResult(CheckOutcome.TimedOut, $"{monitor.Name} on {node.Name}: no answer within {timeout.TotalSeconds:0}s (simulated)", clock.GetElapsedTime(started));
        }

        await Task.Delay(world.Duration(5, 100), clock, ct);
        return fault switch
        {
            AgentFault.Fail => new CheckResult(CheckOutcome.Error, $"{monitor.Name} on {node.Name}: failed (simulated)", clock.GetElapsedTime(started)),
            AgentFault.Lie => new CheckResult(CheckOutcome.Error, $"{monitor.Name} on {node.Name}: false alarm (simulated)", clock.GetElapsedTime(started)),
            _ => new CheckResult(CheckOutcome.Normal, $"{monitor.Name} on {node.Name}: fine", clock.GetElapsedTime(started)),
        };
    }
}
