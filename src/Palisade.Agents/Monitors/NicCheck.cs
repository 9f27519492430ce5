namespace Palisade.Agents.Monitors;

/// <summary>
/// The <c>nic</c> monitor: the interface's link state read over NETLINK_ROUTE (<see cref="LinkQuery"/>), in the
/// network namespace palisaded runs in. Normal when <see cref="LinkState.IsUp"/>: administratively up, carrier on, and
/// operstate UP or UNKNOWN (lo, dummy and other drivers that never set an operstate report UNKNOWN while they work).
/// Error otherwise, or when the interface does not exist; TimedOut when the kernel gave no answer in time.
/// </summary>
internal sealed class NicCheck : IMonitorCheck
{
    private readonly string _interface;
    private readonly TimeProvider _time;

    public NicCheck(string interfaceName, TimeProvider time)
    {
        _interface = interfaceName;
        _time = time;
    }

    public async Task<CheckResult> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        (CheckOutcome outcome, string reason) result;
        try
        {
            // Off the caller's thread: each receive blocks for up to a slice. The query keeps to the deadline itself;
            // the wait is only a safety net should a receive overrun it.
            LinkState state = await Task.Run(() => LinkQuery.Read(_interface, timeout, _time, ct), ct)
                .WaitAsync(timeout + LinkQuery.ReceiveSlice, _time, ct).ConfigureAwait(false);
            result = (state.IsUp ? CheckOutcome.Normal : CheckOutcome.Error, state.Describe());
        }
        catch (LinkQueryException e)
        {
            result = (CheckOutcome.Error, $"{_interface}: {e.Message}");
        }
        catch (TimeoutException)
        {
            result = (CheckOutcome.TimedOut, $"{_interface}: the kernel gave no link state within {AgentText.Span(timeout)}");
        }

        return new CheckResult(result.outcome, result.reason, _time.GetElapsedTime(started));
    }
}
