using System.Globalization;

namespace Palisade.Daemon;

/// <summary>
/// One palisaded per node: the process holds an exclusive lock on <c>palisaded.lock</c> next to its control socket for
/// as long as it runs (the kernel drops it when the process dies, even by SIGKILL) and writes its pid to
/// <c>palisaded.pid</c> beside it. Two on one node would each run the groups and answer for the node, so a second one
/// refuses to start and names the first.
/// </summary>
internal sealed class InstanceLock : IDisposable
{
    private readonly FileStream _file;

    private InstanceLock(FileStream file) => _file = file;

    /// <summary>The lock file beside <paramref name="socketPath"/>.</summary>
    public static string PathFor(string socketPath) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(socketPath)) ?? "/", "palisaded.lock");

    /// <summary>Takes the lock and writes this process's pid; null with the reason when another process holds it.</summary>
    public static (InstanceLock? Lock, string? Problem) Acquire(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // FileShare.None is an exclusive flock(2) on Linux, held until the stream is closed or the process ends.
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            try
            {
                File.WriteAllText(PidFile(path), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            }
            catch (IOException e)
            {
                file.Dispose();
                return (null, $"cannot write {PidFile(path)}: {e.Message}");
            }

            return (new InstanceLock(file), null);
        }
        catch (IOException)
        {
            return (null, $"another palisaded already runs on this node ({Holder(path)} holds {path}); not starting a second one");
        }
        catch (UnauthorizedAccessException e)
        {
            return (null, $"cannot lock {path}: {e.Message}");
        }
    }

    private static string PidFile(string lockPath) => Path.ChangeExtension(lockPath, ".pid");

    private static string Holder(string lockPath)
    {
        try
        {
            return int.TryParse(File.ReadAllText(PidFile(lockPath)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                ? $"pid {pid}" : "a process";
        }
        catch (IOException)
        {
            return "a process";
        }
    }

    public void Dispose() => _file.Dispose();
}
