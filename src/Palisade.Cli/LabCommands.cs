using System.Runtime.CompilerServices;

namespace Palisade.Cli;

/// <summary>
/// The commands that need the lab's assemblies, each in its own method so that they are loaded only when one runs
/// (see <see cref="LabAssemblies"/>).
/// </summary>
internal static class LabCommands
{
    /// <summary><c>palisade lab ARGS</c>, handed to the lab's own command line as the words after "lab".</summary>
    public static Task<int> LabAsync(string[] args, TextWriter stdout, TextWriter stderr) =>
        LabAssemblies.RunAsync(() => RunLab(args, stdout, stderr), stderr);

    public static Task<int> ChaosAsync(int runs, int? seed, string? config, TextWriter stdout, TextWriter stderr) =>
        LabAssemblies.RunAsync(() => RunChaos(runs, seed, config, stdout), stderr);

    public static Task<int> DemoAsync(bool keep, string? config, TextWriter stdout, TextWriter stderr) =>
        LabAssemblies.RunAsync(() => RunDemo(keep, config, stdout), stderr);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> RunLab(string[] args, TextWriter stdout, TextWriter stderr) => Lab.LabCli.RunAsync(args, stdout, stderr);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> RunChaos(int runs, int? seed, string? config, TextWriter stdout) => ChaosCommand.RunAsync(runs, seed, config, stdout);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> RunDemo(bool keep, string? config, TextWriter stdout) => DemoCommand.RunAsync(keep, config, stdout);
}
