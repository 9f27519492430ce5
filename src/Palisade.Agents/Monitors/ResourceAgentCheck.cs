namespace Palisade.Agents.Monitors;

/// <summary>
/// A monitor of type <c>resource</c>: the resource agent's own monitor action. Running is Normal; not running or
/// failed is an Error; no answer within the agent's monitor timeout is a timeout.
/// </summary>
public sealed class ResourceAgentCheck(IResourceAgent agent) : IMonitorCheck
{
    public async Task<CheckResult> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        var result = await agent.MonitorAsync(ct).ConfigureAwait(false);
        var outcome = result.Outcome switch
        {
            AgentOutcome.Success => CheckOutcome.Normal,
            AgentOutcome.TimedOut => CheckOutcome.TimedOut,
            _ => CheckOutcome.Error,
        };
        return new CheckResult(outcome, $"{result.Outcome}: {result.Reason}", result.Duration);
    }
}
