using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Palisade.Agents;

/// <summary>Runs one external program to completion; the single way every agent touches a process.</summary>
public static class ProcessRunner
{
    /// <summary>Per-stream capture limit (head + tail).</summary>
    internal const int OutputLimitBytes = 64 * 1024;

    /// <summary>
    /// How long output is still collected after the process exits. A child left running in the background
    /// (a daemon started with <c>&amp;</c>) may hold the pipes open for its whole life; we must not wait for it.
    /// </summary>
    internal static readonly TimeSpan DrainPeriod = TimeSpan.FromMilliseconds(250);

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Starts the process, feeds stdin, captures bounded output and waits for exit. On timeout the whole process
    /// tree is killed and the result says <see cref="ProcessResult.TimedOut"/>. On cancellation of
    /// <paramref name="ct"/> the tree is killed too, then <see cref="OperationCanceledException"/> is thrown.
    /// A program that cannot be started yields a result with a null exit code and the cause in stderr.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ct.ThrowIfCancellationRequested();
        var time = TimeProvider.System;
        long started = time.GetTimestamp();

        using var process = new Process { StartInfo = BuildStartInfo(spec) };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
        {
            return new ProcessResult(null, false, "", $"cannot start {spec.FileName}: {e.Message}", time.GetElapsedTime(started));
        }

        var stdout = new BoundedCapture(OutputLimitBytes);
        var stderr = new BoundedCapture(OutputLimitBytes);
        using var feedStop = new CancellationTokenSource();
        Task feed = FeedAsync(process.StandardInput, spec.StandardInput, feedStop.Token);
        Task output = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, stdout),
            PumpAsync(process.StandardError.BaseStream, stderr));

        bool killed = await WaitOrKillAsync(process, spec.Timeout, ct, time).ConfigureAwait(false);

        // A descendant may still hold the pipes (a daemon started in the background). Output that arrives later
        // is no longer captured, but the pumps keep reading until end of file: closing our end would kill such
        // a daemon with SIGPIPE at its next write. Nothing waits for them.
        await WaitUpToAsync(output, DrainPeriod).ConfigureAwait(false);
        var result = new ProcessResult(killed ? null : process.ExitCode, killed, stdout.Seal(), stderr.Seal(), time.GetElapsedTime(started));
        await feedStop.CancelAsync().ConfigureAwait(false);
        await WaitUpToAsync(feed, DrainPeriod).ConfigureAwait(false);

        if (killed && ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }

        return result;
    }

    private static async Task WaitUpToAsync(Task task, TimeSpan period)
    {
        try
        {
            await task.WaitAsync(period).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The task goes on unobserved; it never faults (its exceptions are handled inside).
        }
    }

    private static ProcessStartInfo BuildStartInfo(ProcessSpec spec)
    {
        var info = new ProcessStartInfo(spec.FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8NoBom,
            CreateNoWindow = true,
        };
        foreach (string argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (spec.Environment is not null)
        {
            foreach ((string name, string value) in spec.Environment)
            {
                info.Environment[name] = value;
            }
        }

        return info;
    }

    /// <summary>Waits for exit; returns true when the tree had to be killed (timeout or cancellation).</summary>
    private static async Task<bool> WaitOrKillAsync(Process process, TimeSpan? timeout, CancellationToken ct, TimeProvider time)
    {
        using var deadline = timeout is { } limit && limit != Timeout.InfiniteTimeSpan
            ? new CancellationTokenSource(limit <= TimeSpan.Zero ? TimeSpan.FromTicks(1) : limit, time)
            : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException)
        {
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return true;
        }
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or AggregateException)
        {
            // Already exited, or part of the tree vanished while we walked it: nothing left to kill.
        }
    }

    /// <summary>
    /// Reads to end of stream, then closes it (Process.Dispose leaves the pipes alone). Once the capture is
    /// sealed the bytes are only consumed.
    /// </summary>
    private static async Task PumpAsync(Stream stream, BoundedCapture capture)
    {
        byte[] buffer = new byte[16 * 1024];
        await using var owned = stream;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                capture.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A broken pipe ends the stream like end of file; what was captured stays.
        }
    }

    private static async Task FeedAsync(StreamWriter stdin, string? text, CancellationToken ct)
    {
        try
        {
            if (!string.IsNullOrEmpty(text))
            {
                // Straight to the pipe: a writer buffer left full by a cancelled write would block Close().
                await stdin.BaseStream.WriteAsync(Utf8NoBom.GetBytes(text), ct).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The child exited or left stdin unread (perhaps to a background descendant); that is its choice.
        }
        finally
        {
            try
            {
                stdin.Close();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // Closing flushes; a broken pipe here means the child is gone already.
            }
        }
    }
}
