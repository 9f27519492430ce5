using System.Reflection;
using System.Runtime.Loader;

namespace Palisade.Cli;

/// <summary>
/// The lab (<c>palisade lab</c>, <c>lab chaos</c>, <c>demo</c>) lives in assemblies that production nodes do not carry:
/// the palisade package leaves them out and palisade-lab installs them in <c>lab/</c> beside palisade, where they are
/// loaded the first time a lab command runs. A build from source keeps them beside palisade, found as usual.
/// </summary>
internal static class LabAssemblies
{
    public const string Package = "palisade-lab";
    private static readonly string[] LabOnly = ["Palisade.Lab", "Palisade.Scenarios"];

    /// <summary>Where palisade-lab installs the lab's assemblies (/usr/lib/palisade/lab).</summary>
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "lab");

    public static void Install() => AssemblyLoadContext.Default.Resolving += Resolve;

    /// <summary>Runs a lab command; when the lab is not installed, says so (exit 1) instead of a loader's stack trace.</summary>
    public static async Task<int> RunAsync(Func<Task<int>> command, TextWriter stderr)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (FileNotFoundException ex) when (IsLabOnly(ex.FileName))
        {
            await stderr.WriteLineAsync(
                $"palisade: the lab is not installed on this machine (install the {Package} package; it puts the lab in {Directory}). " +
                "Production nodes do not need it.").ConfigureAwait(false);
            return 1;
        }
    }

    private static bool IsLabOnly(string? fileName) =>
        fileName is not null && LabOnly.Any(name => fileName.StartsWith(name + ",", StringComparison.Ordinal) || fileName == name);

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name is null || !LabOnly.Contains(name.Name, StringComparer.Ordinal))
        {
            return null;
        }

        var path = Path.Combine(Directory, name.Name + ".dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }
}
