using Palisade.Agents.Monitors;
using Palisade.Core.Configuration;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>What one check did to a monitor's status on this node.</summary>
internal enum MonitorStep
{
    Unchanged,

    /// <summary>A failure still within <c>retries</c>: not an error yet.</summary>
    Retrying,
    Changed,
}

/// <summary>
/// The status one monitor has on this node, check after check: when it checks at all (suspended, timing active,
/// start_delay), and how failures in a row become an Error. Pure: the loop feeds it the state and the results.
/// </summary>
internal sealed class MonitorLoopState(MonitorConfig monitor)
{
    private bool _suspended;
    private bool _targetActive;
    private DateTimeOffset? _checkFrom;

    /// <summary>What this node finds; null while it does not check (Offline, suspended, waiting for start_delay).</summary>
    public MonitorHealth? Health { get; private set; }

    public string Reason { get; private set; } = "";

    /// <summary>Failed checks in a row.</summary>
    public int Failures { get; private set; }

    /// <summary>Whether the next round runs a check.</summary>
    public bool Checking { get; private set; }

    public MonitorHealth? LastSent { get; set; }

    public DateTimeOffset LastSentAt { get; set; }

    /// <summary>
    /// Decides whether this round checks; returns a line for the log when that changes (suspended or resumed, target
    /// active here or not).
    /// </summary>
    public string? Idle(ClusterState? state, MonitorOnNode? mine, string local, DateTimeOffset now)
    {
        string? said = null;
        var suspended = mine?.Health == MonitorHealth.Suspended;
        if (suspended != _suspended)
        {
            _suspended = suspended;
            said = suspended ? "suspended: not run until resumed" : "resumed";
            Forget();
        }

        var active = monitor.Timing == MonitorTiming.Always
            || (state?.Groups.GetValueOrDefault(monitor.Target) is { State: GroupState.Online } g && g.Node == local);
        if (active != _targetActive)
        {
            _targetActive = active;
            _checkFrom = now + monitor.StartDelay;
            if (monitor.Timing == MonitorTiming.Active)
            {
                said = active ? $"starts: {monitor.Target} is active here" : $"is idle: {monitor.Target} is not active here";
            }

            Forget();
        }

        Checking = !_suspended && _targetActive && now >= _checkFrom;
        return said;
    }

    /// <summary>Counts one check's result; the status becomes Error only after more than <c>retries</c> failures in a row.</summary>
    public MonitorStep Record(CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var before = Health;
        switch (result.Outcome)
        {
            case CheckOutcome.Normal:
                Failures = 0;
                Set(MonitorHealth.Normal, result.Reason);
                break;
            case CheckOutcome.Warning:
                Failures = 0;
                Set(MonitorHealth.Warning, result.Reason);
                break;
            case CheckOutcome.TimedOut when !monitor.TimeoutIsError:
                return MonitorStep.Unchanged; // on_timeout: ignore
            default:
                Failures++;
                if (Failures <= monitor.Retries)
                {
                    return MonitorStep.Retrying;
                }

                Set(MonitorHealth.Error, result.Reason);
                break;
        }

        return Health == before ? MonitorStep.Unchanged : MonitorStep.Changed;
    }

    private void Set(MonitorHealth health, string reason)
    {
        if (Health != health)
        {
            Reason = reason;
        }

        Health = health;
    }

    private void Forget()
    {
        Health = null;
        Failures = 0;
    }
}
