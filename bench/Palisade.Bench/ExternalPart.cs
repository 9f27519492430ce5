using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>
/// External messages: a NIC error message for the interface of the node serving web (an external monitor with
/// failover 1), timed from the message's acceptance (journaled and synced) to the recovery starting on that node and
/// to web Online elsewhere; then the durable intake's throughput for a 100,000-message storm and the journal's bytes
/// per message.
/// </summary>
internal static partial class ExternalPart
{
    private const int Storm = 100_000;

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) .*message (\S+) accepted: ", RegexOptions.Multiline)]
    private static partial Regex Accepted();

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) .*group web: stop on this node \(recovering", RegexOptions.Multiline)]
    private static partial Regex StopStarted();

    [GeneratedRegex(@"(\d+) accepted, 0 refused in [\d.]+ s \((\d+) per second\)")]
    private static partial Regex BatchLine();

    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        var demo = await File.ReadAllTextAsync(DemoRunner.DefaultConfig);
        var yaml = demo.TrimEnd() + "\nmonitors:\n  - {name: nic-ic0, type: external, target: web, category: NIC, keyword: ic0, recovery: {restart_limit: 0, failover_limit: 1}}\n";
        await using var lab = await BenchLab.UpAsync(yaml, null, time);
        var nodes = lab.Names.ToList();
        await lab.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, "web"), "web Online");
        var reaction = new List<double>();
        var online = new List<double>();
        for (var i = 1; i <= runs * 4; i++)
        {
            var owner = await lab.OwnerAsync();
            var log = Path.Combine(lab.Lab.StatePath, "nodes", owner, "log-palisade", "palisaded.log");
            var id = $"bench-{i}-{Guid.NewGuid():N}";
            var clock = Stopwatch.StartNew();
            var sent = await lab.Lab.ExecCaptureAsync(owner, [BenchLab.Cli, "notify", "--category", "NIC", "--keyword", "ic0", "--id", id], TimeSpan.FromSeconds(10), CancellationToken.None);
            if (sent.ExitCode != 0)
            {
                throw new InvalidOperationException($"notify on {owner}: {sent.Stderr}");
            }

            await lab.WaitAsync(nodes.First(n => n != owner), s => ClusterProbe.Group(s, "web") is { State: "Online", Node: { } now } && now != owner, "web Online elsewhere");
            online.Add(clock.Elapsed.TotalMilliseconds);
            var text = await File.ReadAllTextAsync(log);
            var accepted = Accepted().Matches(text).LastOrDefault(m => m.Groups[2].Value == id);
            var stop = StopStarted().Matches(text).LastOrDefault();
            reaction.Add(accepted is null || stop is null ? double.NaN : (Stamp(stop) - Stamp(accepted)).TotalMilliseconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {i} (from {owner}): accepted->stop starting {reaction[^1]:F0} ms, message->Online elsewhere {online[^1]:F0} ms"));
            await lab.Lab.ExecCaptureAsync(owner, [BenchLab.Cli, "group", "cleanup", "web"], TimeSpan.FromSeconds(10), CancellationToken.None);
            await lab.Lab.ExecCaptureAsync(owner, [BenchLab.Cli, "monitor", "clear", "nic-ic0", "--node", owner], TimeSpan.FromSeconds(10), CancellationToken.None);
            await lab.WaitAsync(owner, s => s.Monitors.FirstOrDefault(m => m.Name == "nic-ic0") is { Counters.Failovers: 0 } m && m.Status.Values.All(v => v == "Normal"), "nic-ic0 Normal, counters reset");
        }

        var table = new TextTable($"external: NIC error message for the owner's ic0, {runs * 4} runs (ms)", "", "accepted->recovery started", "message->Online elsewhere");
        table.Add("p50", [Percentile(reaction, 50), Percentile(online, 50)]);
        table.Add("p99", [Percentile(reaction, 99), Percentile(online, 99)]);
        table.Write(output);
        await StormAsync(lab, nodes[0], output);
    }

    /// <summary>Storms measured after the first one, which runs palisaded's intake cold (its code not yet compiled for speed).</summary>
    private const int WarmStorms = 5;

    /// <summary>
    /// 100,000 messages for one device through the control socket (<c>notify --batch</c>), once cold and then
    /// <see cref="WarmStorms"/> times, each with new ids; the rates, their median, and the journal they leave.
    /// </summary>
    private static async Task StormAsync(BenchLab lab, string node, TextWriter output)
    {
        var lib = Path.Combine(lab.Lab.StatePath, "nodes", node, "lib-palisade");
        var journal = Path.Combine(lib, "events.journal");
        long Size() => new[] { journal, journal + ".1" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);
        var rates = new List<double>();
        var bytes = new List<double>();
        for (var storm = 0; storm <= WarmStorms; storm++)
        {
            var before = Size();
            var lines = new StringBuilder();
            for (var i = 1; i <= Storm; i++)
            {
                lines.Append(CultureInfo.InvariantCulture, $$"""{"category":"NIC","keyword":"eth9","severity":"error","text":"link down","source":"bench","id":"storm{{storm}}-{{i}}"}""").Append('\n');
            }

            await File.WriteAllTextAsync(Path.Combine(lib, "storm.jsonl"), lines.ToString());
            var run = await lab.Lab.ExecCaptureAsync(node, [BenchLab.Cli, "notify", "--batch", "/var/lib/palisade/storm.jsonl"], TimeSpan.FromMinutes(10), CancellationToken.None);
            var m = BatchLine().Match(run.Stdout);
            if (run.ExitCode != 0 || !m.Success)
            {
                throw new InvalidOperationException($"notify --batch on {node}: {run.Stdout}{run.Stderr}");
            }

            var rate = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var perMessage = (Size() - before) / (double)Storm;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  storm {storm}{(storm == 0 ? " (cold)" : "")}: {m.Groups[1].Value} messages acknowledged at {rate:F0} per second, journal {perMessage:F0} bytes per message"));
            if (storm > 0)
            {
                rates.Add(rate);
                bytes.Add(perMessage);
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"durable intake on {node}: median {Percentile(rates, 50):F0} acknowledged messages per second over {WarmStorms} storms after the cold one (each journaled and synced before its answer; one device, so repeats coalesced); journal {Percentile(bytes, 50):F0} bytes per message"));
    }

    private static DateTime Stamp(Match m) => DateTime.ParseExact(m.Groups[1].Value, "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    /// <summary>Nearest-rank percentile; NaN for no values.</summary>
    private static double Percentile(IEnumerable<double> values, int p)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100.0 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
