using System.Globalization;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>
/// palisaded's start and idle memory: N times the demo lab is built; per node, the time from the daemon's start (the
/// node's boot log line written as it is started) to its <c>palisaded starting</c> line (configuration read, corosync
/// open) and to its <c>palisaded ready</c> line (joined, control socket listening); then, 30 s after web is Online,
/// each palisaded's resident memory (anonymous and file-backed) and CPU over 10 s.
/// </summary>
internal static class FootprintPart
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        var yaml = await File.ReadAllTextAsync(DemoRunner.DefaultConfig);
        var samples = new List<double[]>();
        var table = new TextTable("footprint: palisaded start and idle footprint, demo lab (3 nodes start together)",
            "run/node", "start->starting ms", "start->ready ms", "RSS MiB", "anon MiB", "file MiB", "CPU % x100");
        for (var i = 1; i <= runs; i++)
        {
            await using var lab = await BenchLab.UpAsync(yaml, null, time);
            var nodes = lab.Names.ToList();
            await lab.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, "web"), "web Online");
            var starts = nodes.ToDictionary(n => n, n => StartTimes(lab, n));
            await Task.Delay(Settle, time);
            var idle = await IdleFootprint.SampleAsync(nodes, Window, time);
            foreach (var node in nodes)
            {
                var (starting, ready) = starts[node];
                var m = idle.FirstOrDefault(s => s.Node == node);
                double[] row = [starting, ready, m?.RssMiB ?? double.NaN, m?.AnonMiB ?? double.NaN, m?.FileMiB ?? double.NaN, m is null ? double.NaN : m.CpuPercent * 100];
                samples.Add(row);
                table.Add($"{i}/{node}", row);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  run {i} {node}: start->ready {ready:F0} ms, idle RSS {m?.RssMiB:F1} MiB (anon {m?.AnonMiB:F1}, file {m?.FileMiB:F1}), CPU {m?.CpuPercent:F2} %"));
            }
        }

        table.Add("median", [.. Enumerable.Range(0, 6).Select(c => Stats.Median(samples.Select(r => r[c])))]);
        table.Write(output);
    }

    /// <summary>
    /// Milliseconds from <paramref name="node"/>'s daemon start (its boot log's <c>started ... palisaded</c> line, written
    /// right after the fork) to its <c>palisaded starting</c> and <c>palisaded ready</c> log lines; NaN when a line is missing.
    /// </summary>
    private static (double Starting, double Ready) StartTimes(BenchLab lab, string node)
    {
        var boot = Path.Combine(lab.Lab.StatePath, "nodes", node, "boot.log");
        var started = File.Exists(boot)
            ? File.ReadLines(boot).Where(l => l.Contains(" started ", StringComparison.Ordinal) && l.Contains("palisaded", StringComparison.Ordinal))
                .Select(LineMs).LastOrDefault(ms => ms is not null)
            : null;
        if (started is not { } from)
        {
            return (double.NaN, double.NaN);
        }

        double Since(string prefix) => lab.FirstLogLine(node, from, prefix) is { } line ? line.AtMs - from : double.NaN;
        return (Since("palisaded starting"), Since("palisaded ready"));
    }

    /// <summary>The local time a "yyyy-MM-dd HH:mm:ss.fff ..." line starts with, as unix milliseconds.</summary>
    private static long? LineMs(string line) =>
        line.Length >= 23 && DateTime.TryParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at)
            ? new DateTimeOffset(at).ToUnixTimeMilliseconds()
            : null;
}
