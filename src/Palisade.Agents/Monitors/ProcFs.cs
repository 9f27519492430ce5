using System.Globalization;

namespace Palisade.Agents.Monitors;

/// <summary>What the monitor checks read from /proc: names, command lines and states of processes.</summary>
internal static class ProcFs
{
    private const string Root = "/proc";

    /// <summary>The pids of every process (thread group leader) that exists right now.</summary>
    public static IEnumerable<int> Pids()
    {
        foreach (string directory in Directory.EnumerateDirectories(Root))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                yield return pid;
            }
        }
    }

    /// <summary>The process's name as the kernel keeps it (at most 15 bytes), or null when it is gone.</summary>
    public static string? Comm(int pid) => ReadOrNull($"{Root}/{pid}/comm")?.TrimEnd('\n');

    /// <summary>
    /// The first word of the command line (argv[0] up to its first blank), or null when it is gone or has none
    /// (a kernel thread, a zombie).
    /// </summary>
    public static string? FirstWord(int pid)
    {
        string? cmdline = ReadOrNull($"{Root}/{pid}/cmdline");
        if (string.IsNullOrEmpty(cmdline))
        {
            return null;
        }

        string first = cmdline.Split('\0', 2)[0].Split(' ', 2)[0];
        return first.Length == 0 ? null : first;
    }

    /// <summary>
    /// True while the process exists and is not a zombie (state Z) or dead (X): a zombie runs nothing and is only
    /// waiting for its parent.
    /// </summary>
    public static bool IsAlive(int pid)
    {
        string? stat = ReadOrNull($"{Root}/{pid}/stat");
        int close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || close < 0 || close + 2 >= stat.Length)
        {
            return false;
        }

        return stat[close + 2] is not ('Z' or 'X');
    }

    private static string? ReadOrNull(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The process exited while we looked (or hides its details): it does not count.
            return null;
        }
    }
}
