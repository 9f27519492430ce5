namespace Palisade.Agents;

/// <summary>How an agent action ended; every agent, resource or shutdown, reports one of these.</summary>
public enum AgentOutcome
{
    Success,
    Failed,
    TimedOut,

    /// <summary>A monitor found the resource cleanly stopped.</summary>
    NotRunning,

    /// <summary>The action could not even be attempted: missing agent, command or parameter.</summary>
    NotConfigured,
}

/// <summary>
/// The one result shape of every agent action.
/// <paramref name="Reason"/> is a single human-readable line; <paramref name="OutputExcerpt"/> holds the
/// tail of the tool's output for diagnosis. Neither ever contains a secret parameter value.
/// </summary>
public sealed record AgentResult(AgentOutcome Outcome, int? ExitCode, string Reason, string OutputExcerpt, TimeSpan Duration)
{
    public bool Succeeded => Outcome == AgentOutcome.Success;
}
