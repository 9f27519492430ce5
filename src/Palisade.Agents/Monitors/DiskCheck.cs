namespace Palisade.Agents.Monitors;

/// <summary>
/// The <c>disk</c> monitor: one 4 KiB read at the start of a file or block device with O_DIRECT, so the device itself
/// answers, not the page cache. The read runs in a child <c>dd</c> (a hung device hangs the child, never palisaded);
/// at the timeout the child is killed and the check returns TimedOut without waiting for it to die. A file system
/// that refuses O_DIRECT (tmpfs: "Invalid argument") gets one cached read instead, said in the reason.
/// </summary>
internal sealed class DiskCheck : IMonitorCheck
{
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly string _dd;

    /// <param name="dd">The dd to run; null: <c>dd</c> from PATH (tests give a stand-in).</param>
    public DiskCheck(string path, TimeProvider time, string? dd = null)
    {
        _path = path;
        _time = time;
        _dd = dd ?? ExecutableLookup.Find("dd") ?? "/bin/dd";
    }

    public async Task<CheckResult> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        ProcessResult? direct = await ReadAsync(direct: true, timeout, ct).ConfigureAwait(false);
        if (direct is null)
        {
            return TimedOut(timeout, started);
        }

        if (direct.ExitCode == 0)
        {
            return Result(CheckOutcome.Normal, $"read of {_path} took {AgentText.Span(direct.Duration)}", started);
        }

        if (!direct.StandardError.Contains("Invalid argument", StringComparison.Ordinal))
        {
            return Failed(direct, started);
        }

        ProcessResult? cached = await ReadAsync(direct: false, timeout - _time.GetElapsedTime(started), ct).ConfigureAwait(false);
        if (cached is null)
        {
            return TimedOut(timeout, started);
        }

        return cached.ExitCode == 0
            ? Result(CheckOutcome.Normal, $"read of {_path} took {AgentText.Span(cached.Duration)} (its file system refuses O_DIRECT: read through the page cache)", started)
            : Failed(cached, started);
    }

    private Task<ProcessResult?> ReadAsync(bool direct, TimeSpan limit, CancellationToken ct)
    {
        List<string> arguments = [$"if={_path}", "of=/dev/null", "bs=4096", "count=1", "status=none"];
        if (direct)
        {
            arguments.Add("iflag=direct");
        }

        return ChildRun.RunAsync(new ProcessSpec(_dd, arguments), limit, _time, ct);
    }

    private CheckResult Failed(ProcessResult result, long started)
    {
        string detail = AgentText.FirstLine(result);
        string head = result.ExitCode is { } code ? $"read of {_path} failed (dd exited {code})" : $"read of {_path} failed";
        return Result(CheckOutcome.Error, AgentText.WithDetail(head, detail), started);
    }

    private CheckResult TimedOut(TimeSpan timeout, long started) =>
        Result(CheckOutcome.TimedOut, $"read of {_path} did not finish within {AgentText.Span(timeout)}", started);

    private CheckResult Result(CheckOutcome outcome, string reason, long started) =>
        new(outcome, reason, _time.GetElapsedTime(started));
}
