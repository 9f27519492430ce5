namespace Palisade.Daemon.Tests;

/// <summary>The repository the tests were built from, for the files they check against the code.</summary>
internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "Palisade.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("the repository root (Palisade.slnx) is not above the test's directory");
    }
}
