namespace Palisade.Agents;

/// <summary>Finds a program the way a shell would, so a missing tool is reported as such rather than as a failure.</summary>
internal static class ExecutableLookup
{
    /// <summary>The full path of <paramref name="name"/> in PATH (or the path itself when it has a slash), or null.</summary>
    public static string? Find(string name)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(name) ? name : null;
        }

        string path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
