using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Shutdown;
using Palisade.Core.Status;
using Palisade.Lab;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>
/// One lab for one benchmark part: built from a cluster file (any lab left over is removed first), torn down on
/// dispose. Reads what the parts measure: status, fence history, the power ledger and the daemons' logs, all as
/// unix milliseconds on the host clock (the nodes share it).
/// </summary>
internal sealed class BenchLab : IAsyncDisposable
{
    public const string Cli = "/usr/local/bin/palisade";
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(200);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private BenchLab(LabController lab, IReadOnlyList<LabNodeStatus> nodes, TimeProvider time)
    {
        Lab = lab;
        Nodes = nodes;
        Time = time;
        Probe = new ClusterProbe(lab, Cli);
    }

    public LabController Lab { get; }
    public ClusterProbe Probe { get; }
    public IReadOnlyList<LabNodeStatus> Nodes { get; }
    public TimeProvider Time { get; }

    public IEnumerable<string> Names => Nodes.Select(n => n.Name);

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Builds the lab from <paramref name="yaml"/> (null: the lab's default 3 nodes) and, when <paramref name="groupOn"/>
    /// is given, waits until the group runs there. <paramref name="options"/> null: the installed palisaded on every node.
    /// </summary>
    public static async Task<BenchLab> UpAsync(string? yaml, string? groupOn, TimeProvider time, LabOptions? options = null)
    {
        var lab = new LabController(options ?? new LabOptions(), NullLoggerFactory.Instance, time);
        await lab.DownAsync(CancellationToken.None);
        var file = yaml is null ? null : Path.Combine(Path.GetTempPath(), $"palisade-bench-{Guid.NewGuid():N}.yaml");
        try
        {
            if (file is not null)
            {
                await File.WriteAllTextAsync(file, yaml);
            }

            var status = await lab.UpAsync(null, file, CancellationToken.None);
            var bench = new BenchLab(lab, status.Nodes, time);
            if (groupOn is not null)
            {
                await bench.WaitAsync(groupOn, s => ClusterProbe.GroupOnline(s, BenchCluster.Group, groupOn), $"{BenchCluster.Group} Online on {groupOn}");
            }

            return bench;
        }
        catch
        {
            await lab.DownAsync(CancellationToken.None);
            throw;
        }
        finally
        {
            if (file is not null)
            {
                File.Delete(file);
            }
        }
    }

    public Task<StatusReport> WaitAsync(string node, Func<StatusReport, bool> condition, string what, TimeSpan? limit = null) =>
        Probe.WaitAsync(node, condition, limit ?? Limit, what, CancellationToken.None);

    public static bool NodeIs(StatusReport s, string node, string state) => ClusterProbe.Node(s, node)?.State == state;

    /// <summary>Every node Online, quorum, and the group Online somewhere: the cluster is whole again.</summary>
    public static bool Whole(StatusReport s) =>
        s.Quorate && s.Nodes.All(n => n.State == "Online") && ClusterProbe.GroupOnline(s, BenchCluster.Group);

    public async Task<string> OwnerAsync()
    {
        foreach (var node in Names)
        {
            if (await Probe.StatusAsync(node, CancellationToken.None) is { } s && ClusterProbe.Group(s, BenchCluster.Group) is { State: "Online", Node: { } owner })
            {
                return owner;
            }
        }

        throw new InvalidOperationException($"{BenchCluster.Group} is not Online on any node");
    }

    /// <summary>The fence history of <paramref name="target"/> as <paramref name="from"/>'s palisaded reports it.</summary>
    public async Task<IReadOnlyList<FenceRecord>> HistoryAsync(string from, string target)
    {
        var run = await Lab.ExecCaptureAsync(from, [Cli, "sd", "--history", target, "--output", "json"], TimeSpan.FromSeconds(20), CancellationToken.None);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"palisade sd --history {target} on {from} exited {run.ExitCode}: {run.Stderr.Trim()}");
        }

        return JsonSerializer.Deserialize<List<FenceRecord>>(run.Stdout, Json) ?? [];
    }

    /// <summary>
    /// Waits until the history of <paramref name="target"/> holds an attempt that Worked and started at or after
    /// <paramref name="sinceMs"/>; returns it with every attempt on the target from then up to it (in start order).
    /// </summary>
    public async Task<(FenceRecord Worked, IReadOnlyList<FenceRecord> Attempts)> WaitWorkedAsync(string from, string target, long sinceMs)
    {
        var deadline = Time.GetUtcNow() + Limit;
        IReadOnlyList<FenceRecord> attempts = [];
        while (Time.GetUtcNow() < deadline)
        {
            attempts = [.. (await HistoryAsync(from, target)).Where(r => r.Started.ToUnixTimeMilliseconds() >= sinceMs).OrderBy(r => r.Started)];
            if (attempts.FirstOrDefault(r => r.Result == FenceResult.Worked) is { } worked)
            {
                return (worked, [.. attempts.Where(r => r.Started <= worked.Started)]);
            }

            await Task.Delay(PollEvery, Time);
        }

        var seen = attempts.Count == 0 ? "none" : string.Join("; ", attempts.Select(r => $"{r.Agent} {r.Result}: {r.Reason}"));
        throw new TimeoutException($"no kill of {target} that worked within {Limit.TotalSeconds:F0} s (attempts seen from {from}: {seen})");
    }

    /// <summary>When the lab's power script had finished killing <paramref name="node"/> (ledger), at or after <paramref name="sinceMs"/>.</summary>
    public long? PowerOffMs(string node, long sinceMs) =>
        Ledger.Read(Lab.LedgerPath).Where(e => e.Node == node && e.Action == "power-off" && e.UnixMs >= sinceMs).Select(e => (long?)e.UnixMs).FirstOrDefault();

    /// <summary>
    /// The first line of <paramref name="node"/>'s palisaded log at or after <paramref name="sinceMs"/> whose message
    /// starts with <paramref name="prefix"/>: its time (unix ms) and message; null if there is none yet.
    /// </summary>
    public (long AtMs, string Message)? FirstLogLine(string node, long sinceMs, string prefix)
    {
        var path = Path.Combine(Lab.StatePath, "nodes", node, "log-palisade", "palisaded.log");
        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            // "yyyy-MM-dd HH:mm:ss.fff level: category[id] message", local time.
            if (line.Length < 25
                || !DateTime.TryParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at))
            {
                continue;
            }

            var ms = new DateTimeOffset(at).ToUnixTimeMilliseconds();
            var bracket = line.IndexOf("] ", 24, StringComparison.Ordinal);
            if (ms >= sinceMs && bracket > 0 && line.AsSpan(bracket + 2).StartsWith(prefix, StringComparison.Ordinal))
            {
                return (ms, line[(bracket + 2)..]);
            }
        }

        return null;
    }

    /// <summary>The earliest of <see cref="FirstLogLine"/> over several nodes; null if none has the line.</summary>
    public (long AtMs, string Message)? FirstLogLine(IEnumerable<string> nodes, long sinceMs, string prefix) =>
        nodes.Select(n => FirstLogLine(n, sinceMs, prefix)).Where(l => l is not null).MinBy(l => l!.Value.AtMs);

    public static long EndMs(FenceRecord r) => r.Started.ToUnixTimeMilliseconds() + r.DurationMs;

    public async ValueTask DisposeAsync() => await Lab.DownAsync(CancellationToken.None);
}
