namespace Palisade.Agents;

/// <summary>Finds a fence agent's file the way the fence-agents package installs them.</summary>
internal static class FenceAgentLocator
{
    /// <summary>Where the fence-agents packages put their agents; searched before PATH, which often lacks sbin.</summary>
    private static readonly string[] AgentDirectories = ["/usr/sbin", "/sbin"];

    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// The agent's executable path, or a problem: a bare name is looked up in /usr/sbin, /sbin, then PATH; an
    /// absolute path is taken as it is; anything else is refused.
    /// </summary>
    public static (string? Path, string Problem) Find(string agent)
    {
        if (agent.StartsWith('/'))
        {
            return Check(agent);
        }

        if (agent.Contains('/', StringComparison.Ordinal) || agent is "." or "..")
        {
            return (null, $"agent '{agent}' must be a plain name such as fence_ipmilan or an absolute path");
        }

        string path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        string? found = AgentDirectories
            .Concat(path.Split(':', StringSplitOptions.RemoveEmptyEntries))
            .Select(dir => System.IO.Path.Combine(dir, agent))
            .FirstOrDefault(File.Exists);
        return found is null
            ? (null, $"{agent} is not installed (not found in /usr/sbin, /sbin or PATH)")
            : Check(found);
    }

    private static (string? Path, string Problem) Check(string path)
    {
        if (!File.Exists(path))
        {
            return (null, Directory.Exists(path) ? $"{path} is a directory, not a fence agent" : $"{path} does not exist");
        }

        // Root may run a file with any execute bit; a file without one cannot be run by anybody.
        return (File.GetUnixFileMode(path) & AnyExecute) == 0
            ? (null, $"{path} is not executable")
            : (path, "");
    }
}
