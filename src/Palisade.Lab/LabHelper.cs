using System.Reflection;
using System.Runtime.InteropServices;

namespace Palisade.Lab;

/// <summary>
/// Starts the lab's long-running helpers (the Redfish BMC, kdump announcers): hidden <c>palisade lab</c>
/// subcommands run detached inside a lab namespace, so that they outlive the command that started them,
/// like ipmi_sim, and die with the namespace's processes (power off, <c>lab down</c>).
/// </summary>
internal sealed class LabHelper(ProcessRunner runner, IReadOnlyList<string>? configured)
{
    private const string CliName = "palisade";
    private static readonly TimeSpan SpawnTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Runs <c>palisade lab ARGS</c> in <paramref name="ns"/> in a new session with stdin from /dev/null and its
    /// output in <paramref name="logPath"/> (appended, or rewritten when <paramref name="append"/> is false);
    /// returns once it has been started, not once it is ready.
    /// </summary>
    public async Task StartDetachedAsync(
        string what, string ns, string logPath, bool append, IReadOnlyList<string> args, CancellationToken ct)
    {
        var command = Resolve();
        var redirect = append ? ">>" : ">";
        await runner.RunCheckedAsync($"starting {what}", "bash",
        [
            "-c", $"setsid -f \"$@\" </dev/null {redirect}\"$0\" 2>&1", logPath,
            "ip", "netns", "exec", ns, .. command, "lab", .. args,
        ], SpawnTimeout, ct);
    }

    /// <summary>The command line that runs palisade; a <see cref="LabException"/> says how to provide one if none is found.</summary>
    public IReadOnlyList<string> Resolve()
    {
        if (configured is { Count: > 0 })
        {
            return configured;
        }

        // The palisade CLI itself (installed, or "dotnet run"): run the same program again.
        var entry = Assembly.GetEntryAssembly();
        var processPath = Environment.ProcessPath;
        if (entry?.GetName().Name == CliName && processPath is not null)
        {
            return Path.GetFileName(processPath) == CliName ? [processPath] : [processPath, entry.Location];
        }

        // Another host (a test runner, a scenario) that ships palisade next to itself.
        var beside = Path.Combine(AppContext.BaseDirectory, CliName);
        if (File.Exists(beside))
        {
            return [beside];
        }

        var dll = Path.Combine(AppContext.BaseDirectory, CliName + ".dll");
        if (File.Exists(dll))
        {
            return [DotnetHost(), dll];
        }

        throw new LabException(
            $"cannot find the {CliName} command that runs the lab's Redfish BMCs and kdump announcers: "
            + $"none runs this process and there is none in {AppContext.BaseDirectory} (set LabOptions.HelperCommand)");
    }

    /// <summary>The dotnet executable of the runtime this process runs on (…/dotnet/shared/Microsoft.NETCore.App/VERSION/).</summary>
    private static string DotnetHost()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
