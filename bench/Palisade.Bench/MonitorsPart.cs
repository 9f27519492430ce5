using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>
/// Monitors and their recovery: the demo service killed behind palisaded's back (monitor_interval 1s) until web is
/// Online on another node, and until it is Online again in place; the footprint of palisaded running 50 monitors at
/// 1s; the probe time of a 20-resource group.
/// </summary>
internal static partial class MonitorsPart
{
    private const string HelloMonitor = "monitor: /opt/palisade/share/examples/demo/hello-service monitor";
    private static readonly string[] Kill = ["/bin/sh", "-c", "kill -9 $(cat /run/palisade-hello.pid) && rm -f /run/palisade-hello.pid"];

    [GeneratedRegex(@"group big: resource r\d+ probe: \w+ in (\d+) ms")]
    private static partial Regex ProbeLine();

    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        var demo = await File.ReadAllTextAsync(DemoRunner.DefaultConfig);
        string Ladder(string recovery) => demo.Replace(HelloMonitor, HelloMonitor + "\n        recovery: " + recovery, StringComparison.Ordinal)
            .Replace("monitor_interval: 5s", "monitor_interval: 1s", StringComparison.Ordinal);

        var failover = await RecoverAsync(Ladder("{restart_limit: 0, failover_limit: 1}"), moves: true, runs, time, output);
        var restart = await RecoverAsync(Ladder("{restart_limit: 1, failover_limit: 0}"), moves: false, runs, time, output);
        var table = new TextTable("monitors: service killed (kill -9), monitor_interval 1s (ms)", "run", "kill->Online elsewhere", "kill->Online in place");
        for (var i = 0; i < runs; i++)
        {
            table.Add($"{i + 1}", [failover[i], restart[i]]);
        }

        table.Add("median", [Stats.Median(failover), Stats.Median(restart)]);
        table.Write(output);
        await FootprintAsync(demo, time, output);
    }

    /// <summary>Per run: kill the service where web runs, time until the ladder has it Online again (moved or in place), then clean up.</summary>
    private static async Task<List<double>> RecoverAsync(string yaml, bool moves, int runs, TimeProvider time, TextWriter output)
    {
        await using var lab = await BenchLab.UpAsync(yaml, null, time);
        var nodes = lab.Names.ToList();
        await lab.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, "web"), "web Online");
        var results = new List<double>();
        for (var i = 1; i <= runs; i++)
        {
            var owner = await lab.OwnerAsync();
            var killed = Stopwatch.StartNew();
            var r = await lab.Lab.ExecCaptureAsync(owner, Kill, TimeSpan.FromSeconds(10), CancellationToken.None);
            if (r.ExitCode != 0)
            {
                throw new InvalidOperationException($"killing the service on {owner}: {r.Stderr}");
            }

            await lab.WaitAsync(nodes.First(n => n != owner), s => s.Monitors.FirstOrDefault(m => m.Name == "web/hello") is { } m
                && m.Counters.Restarts + m.Counters.Failovers == 1
                && ClusterProbe.Group(s, "web") is { State: "Online", Node: { } now } && (now != owner) == moves && ClusterProbe.GroupOnline(s, "web", now),
                moves ? "web Online on another node" : "web Online again in place");
            results.Add(killed.Elapsed.TotalMilliseconds);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {(moves ? "failover" : "restart")} run {i} (from {owner}): {killed.Elapsed.TotalMilliseconds:F0} ms"));
            await lab.Lab.ExecCaptureAsync(owner, [BenchLab.Cli, "group", "cleanup", "web"], TimeSpan.FromSeconds(10), CancellationToken.None);
            await lab.WaitAsync(owner, s => s.Monitors.FirstOrDefault(m => m.Name == "web/hello") is { Counters: { Restarts: 0, Failovers: 0 } }, "counters reset");
        }

        return results;
    }

    /// <summary>50 listed monitors at 1s on every node, plus a 20-resource group probed at start: palisaded's RSS and CPU, and the probe time.</summary>
    private static async Task FootprintAsync(string demo, TimeProvider time, TextWriter output)
    {
        var yaml = new StringBuilder(demo.TrimEnd()).Append('\n');
        yaml.Append("  - name: big\n    nodes: [n1, n2, n3]\n    auto_start: false\n    resources:\n");
        for (var i = 1; i <= 20; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"      - {{name: r{i}, type: exec, start: /bin/true, stop: /bin/true, monitor: \"exit 7\"}}\n");
        }

        yaml.Append("monitors:\n");
        for (var i = 1; i <= 50; i++)
        {
            var watched = (i % 2) switch
            {
                0 => "type: process, pidfile: /run/palisade/palisaded.pid",
                _ => "type: nic, interface: mon0",
            };
            yaml.Append(CultureInfo.InvariantCulture, $"  - {{name: m{i}, {watched}, target: web, interval: 1s, timeout: 5s, recovery: {{restart_limit: 0, failover_limit: 0}}}}\n");
        }

        await using var lab = await BenchLab.UpAsync(yaml.ToString(), null, time);
        var nodes = lab.Names.ToList();
        await lab.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, "web") && s.Monitors.Count(m => m.Type is "process" or "nic" && m.Status.Values.All(v => v == "Normal")) == 50, "web Online, 50 monitors Normal");
        await Task.Delay(TimeSpan.FromSeconds(30), time);
        output.WriteLine((await IdleFootprint.MeasureAsync(lab.Lab.StatePath, nodes, TimeSpan.FromSeconds(10))).Replace("idle palisaded", "palisaded with 50 monitors at 1s", StringComparison.Ordinal));

        var probes = nodes.Select(n =>
        {
            var log = File.ReadAllText(Path.Combine(lab.Lab.StatePath, "nodes", n, "log-palisade", "palisaded.log"));
            var times = ProbeLine().Matches(log).Take(20).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
            return times.Count == 20 ? times.Sum() : double.NaN;
        }).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"probe of a 20-resource group at start (sum of its resources' monitor runs, ms): {string.Join(", ", nodes.Zip(probes, (n, p) => $"{n} {p:F0}"))}; median {Stats.Median(probes):F0}"));
    }
}
