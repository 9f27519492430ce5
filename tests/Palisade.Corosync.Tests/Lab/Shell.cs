using System.Diagnostics;

namespace Palisade.Corosync.Tests.Lab;

/// <summary>Runs short-lived setup commands (ip, ...) and fails loudly with their stderr.</summary>
internal static class Shell
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    public static void Run(string fileName, params string[] arguments)
    {
        var (exitCode, output) = Execute(fileName, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"`{fileName} {string.Join(' ', arguments)}` exited {exitCode}: {output.Trim()}");
        }
    }

    /// <summary>For teardown: never throws, so one failed step does not skip the rest.</summary>
    public static void TryRun(string fileName, params string[] arguments)
    {
        try
        {
            Execute(fileName, arguments);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Best effort: teardown continues with the remaining resources.
        }
    }

    private static (int ExitCode, string Output) Execute(string fileName, string[] arguments)
    {
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(CommandTimeout))
        {
            process.Kill();
            process.WaitForExit();
            throw new InvalidOperationException($"`{fileName} {string.Join(' ', arguments)}` timed out");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
