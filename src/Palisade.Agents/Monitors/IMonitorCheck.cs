namespace Palisade.Agents.Monitors;

/// <summary>What one check of a monitor found.</summary>
public enum CheckOutcome
{
    /// <summary>What it watches is as it should be.</summary>
    Normal,

    /// <summary>Working, with something worth an operator's look (a custom command's exit 2).</summary>
    Warning,

    /// <summary>What it watches has failed.</summary>
    Error,

    /// <summary>The check gave no answer within its timeout: it says nothing either way.</summary>
    TimedOut,
}

/// <summary>One check's outcome and a one-line reason for logs and status (never a secret).</summary>
public sealed record CheckResult(CheckOutcome Outcome, string Reason, TimeSpan Duration);

/// <summary>
/// One kind of monitor check on the local node. A check never blocks its caller beyond <c>timeout</c> (a hung device
/// or command is left to a child process that is killed), and never throws for what it watches failing.
/// </summary>
public interface IMonitorCheck
{
    Task<CheckResult> CheckAsync(TimeSpan timeout, CancellationToken ct);
}
