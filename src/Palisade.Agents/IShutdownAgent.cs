namespace Palisade.Agents;

public enum PowerState
{
    On,
    Off,
    Unknown,
}

/// <summary>Powers one target node off and on through an out-of-band path (a BMC, a PDU, ...).</summary>
public interface IShutdownAgent
{
    /// <summary>The configured agent type, e.g. <c>ipmi</c>.</summary>
    string Type { get; }

    /// <summary><see cref="AgentOutcome.Success"/> only once the agent has confirmed the target is off.</summary>
    Task<AgentResult> PowerOffAsync(CancellationToken ct);

    Task<(AgentResult Result, PowerState State)> PowerStatusAsync(CancellationToken ct);

    /// <summary><see cref="AgentOutcome.Success"/> only once the agent has confirmed the target is on.</summary>
    Task<AgentResult> PowerOnAsync(CancellationToken ct);
}
