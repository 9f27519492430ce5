namespace Palisade.Corosync.Tests.Lab;

/// <summary>Absolute path of the dotnet host: nsenter --mount changes the cwd to /, and PATH lookups should not matter.</summary>
internal static class DotnetHost
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        if (Environment.ProcessPath is { } processPath &&
            System.IO.Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => System.IO.Path.Combine(directory, "dotnet"))
            .FirstOrDefault(File.Exists);
        return onPath ?? throw new InvalidOperationException("dotnet host not found");
    }
}
