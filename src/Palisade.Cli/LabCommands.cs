using System.Runtime.CompilerServices;

namespace Palisade.Cli;

/// <summary>
/// The commands that need the lab's assemblies, each in its own method so that they are loaded only when one runs
/// (see <see cref="LabAssemblies"/>).
/// </summary>
internal static class LabCommands
{
    public static Task<int> LabAsync(string[] args) =>
        LabAssemblies.RunAsync(() => RunLab(args), Console.Error);

    public static Task<int> ChaosAsync(string[] args) =>
        LabAssemblies.RunAsync(() => ChaosCommand.RunAsync(args, Console.Out), Console.Error);

    public static Task<int> DemoAsync(string[] args) =>
        LabAssemblies.RunAsync(() => DemoCommand.RunAsync(args, Console.Out), Console.Error);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Task<int> RunLab(string[] args) => Lab.LabCli.RunAsync(args, Console.Out, Console.Error);
}
