using System.ComponentModel;
using System.Diagnostics;

namespace Palisade.Lab;

/// <summary>Runs the lab's helper programs (ip, ipmitool, nsenter, scripts) with deadlines.</summary>
internal sealed class ProcessRunner(TimeProvider time)
{
    /// <summary>Runs to completion with captured output; kills the process tree and throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<ExecResult> RunAsync(
        string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct, string? stdin = null)
    {
        using var process = Create(file, args, redirect: true);
        process.StartInfo.RedirectStandardInput = stdin is not null;
        Start(process, file);

        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var stdoutTask = process.StandardOutput.ReadToEndAsync(linked.Token);
        var stderrTask = process.StandardError.ReadToEndAsync(linked.Token);
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), linked.Token);
                process.StandardInput.Close();
            }

            await process.WaitForExitAsync(linked.Token);
            var stdout = await stdoutTask;
            var stderr = await stderrTask;
            return new ExecResult(process.ExitCode, stdout, stderr);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            Kill(process);
            throw new TimeoutException($"'{Describe(file, args)}' did not finish within {timeout.TotalSeconds:0.#} s");
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    /// <summary>Like <see cref="RunAsync"/> but a non-zero exit is a <see cref="LabException"/> naming <paramref name="what"/>.</summary>
    public async Task<string> RunCheckedAsync(
        string what, string file, IReadOnlyList<string> args, TimeSpan timeout, CancellationToken ct, string? stdin = null)
    {
        var result = await RunAsync(file, args, timeout, ct, stdin);
        if (result.ExitCode != 0)
        {
            var detail = (result.Stderr.Trim() + " " + result.Stdout.Trim()).Trim();
            throw new LabException($"{what} failed (exit {result.ExitCode}): {detail}");
        }

        return result.Stdout;
    }

    /// <summary>Runs with the caller's stdin/stdout/stderr (for an interactive CLI); returns the exit code.</summary>
    public async Task<int> RunInheritedAsync(string file, IReadOnlyList<string> args, CancellationToken ct)
    {
        using var process = Create(file, args, redirect: false);
        Start(process, file);
        try
        {
            await process.WaitForExitAsync(ct);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw;
        }
    }

    public static string Describe(string file, IReadOnlyList<string> args) =>
        args.Count == 0 ? file : file + " " + string.Join(' ', args);

    private static Process Create(string file, IReadOnlyList<string> args, bool redirect)
    {
        var info = new ProcessStartInfo(file)
        {
            UseShellExecute = false,
            RedirectStandardOutput = redirect,
            RedirectStandardError = redirect,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new Process { StartInfo = info };
    }

    private static void Start(Process process, string file)
    {
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new LabException($"cannot run {file}: {e.Message}", e);
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }
}
