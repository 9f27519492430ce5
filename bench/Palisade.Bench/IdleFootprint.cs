using System.Globalization;

namespace Palisade.Bench;

/// <summary>Resident memory and CPU of every palisaded in the lab while the cluster is idle.</summary>
internal static class IdleFootprint
{
    public static async Task<string> MeasureAsync(string labState, IReadOnlyList<string> nodes, TimeSpan window)
    {
        var pids = nodes.Select(n => (Node: n, Pid: DaemonPid(n))).Where(p => p.Pid > 0).ToList();
        var before = pids.ToDictionary(p => p.Pid, p => CpuTicks(p.Pid));
        await Task.Delay(window);
        var ticksPerSecond = 100.0; // USER_HZ on Linux
        var lines = pids.Select(p =>
        {
            var cpu = (CpuTicks(p.Pid) - before[p.Pid]) / ticksPerSecond / window.TotalSeconds * 100;
            return string.Create(CultureInfo.InvariantCulture, $"  {p.Node}: RSS {RssKiB(p.Pid) / 1024.0:F1} MiB, CPU {cpu:F2} % of one core");
        });
        return $"idle palisaded over {window.TotalSeconds:F0} s (state {labState}):\n" + string.Join("\n", lines);
    }

    /// <summary>One palisaded's idle figures: resident memory (all, anonymous, file-backed) and CPU in % of one core.</summary>
    public sealed record Sample(string Node, double RssMiB, double AnonMiB, double FileMiB, double CpuPercent);

    /// <summary>Every running palisaded's <see cref="Sample"/> over <paramref name="window"/>.</summary>
    public static async Task<IReadOnlyList<Sample>> SampleAsync(IReadOnlyList<string> nodes, TimeSpan window, TimeProvider time)
    {
        var pids = nodes.Select(n => (Node: n, Pid: DaemonPid(n))).Where(p => p.Pid > 0).ToList();
        var before = pids.ToDictionary(p => p.Pid, p => CpuTicks(p.Pid));
        await Task.Delay(window, time);
        return [.. pids.Select(p => new Sample(p.Node, StatusKiB(p.Pid, "VmRSS:") / 1024.0, StatusKiB(p.Pid, "RssAnon:") / 1024.0,
            StatusKiB(p.Pid, "RssFile:") / 1024.0, (CpuTicks(p.Pid) - before[p.Pid]) / 100.0 / window.TotalSeconds * 100))];
    }

    internal static int DaemonPid(string node)
    {
        var inNode = File.Exists($"/run/netns/pal-{node}") ? NetnsPids(node) : [];
        return inNode.FirstOrDefault(pid => File.Exists($"/proc/{pid}/comm") && File.ReadAllText($"/proc/{pid}/comm").Trim() == "palisaded");
    }

    private static List<int> NetnsPids(string node)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("ip", ["netns", "pids", $"pal-{node}"]) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l.Trim(), CultureInfo.InvariantCulture))];
    }

    private static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
    }

    internal static long RssKiB(int pid) => StatusKiB(pid, "VmRSS:");

    private static long StatusKiB(int pid, string field) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(field, StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture)).FirstOrDefault();
}
