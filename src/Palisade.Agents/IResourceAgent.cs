namespace Palisade.Agents;

/// <summary>Drives one resource on one node. Instances are cheap and hold no process between calls.</summary>
public interface IResourceAgent
{
    /// <summary>The resource's name.</summary>
    string Name { get; }

    Task<AgentResult> StartAsync(CancellationToken ct);

    /// <summary>Stopping a resource that is already stopped is <see cref="AgentOutcome.Success"/>.</summary>
    Task<AgentResult> StopAsync(CancellationToken ct);

    /// <summary>
    /// <see cref="AgentOutcome.Success"/> = running, <see cref="AgentOutcome.NotRunning"/> = cleanly stopped,
    /// anything else = failed or unknown.
    /// </summary>
    Task<AgentResult> MonitorAsync(CancellationToken ct);
}
