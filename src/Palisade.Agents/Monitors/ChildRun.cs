namespace Palisade.Agents.Monitors;

/// <summary>
/// Runs a check's child process through <see cref="ProcessRunner"/> and returns by the deadline whatever the child
/// does. ProcessRunner kills the tree at the timeout and then waits for the exit, but a process stuck in
/// uninterruptible sleep (state D, a hung device) dies only when its I/O ends: the check does not wait for that. The
/// run goes on in the background and reaps the child whenever it exits.
/// </summary>
internal static class ChildRun
{
    /// <summary>The result, or null when the child had not finished (or not been reaped) after <paramref name="limit"/>.</summary>
    public static async Task<ProcessResult?> RunAsync(ProcessSpec spec, TimeSpan limit, TimeProvider time, CancellationToken ct)
    {
        TimeSpan bounded = limit > TimeSpan.Zero ? limit : TimeSpan.FromTicks(1);
        Task<ProcessResult> run = ProcessRunner.RunAsync(spec with { Timeout = bounded }, ct);
        try
        {
            ProcessResult result = await run.WaitAsync(bounded, time, ct).ConfigureAwait(false);
            return result.TimedOut ? null : result;
        }
        catch (TimeoutException)
        {
            return null;
        }
    }
}
