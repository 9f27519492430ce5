using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>
/// The HTTP API of the installed palisaded in the demo lab, measured from inside node n2 by <see cref="ApiWorker"/>:
/// GET /api/v1/cluster under 200 concurrent clients, the event stream's fan-out to 500 subscribers, and the CLI's start.
/// </summary>
internal static class ApiPart
{
    private const int Clients = 200;
    private const int Subscribers = 500;
    private const int Seconds = 10;

    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        output.WriteLine($"api: inside lab node n2: {Clients} clients on GET /api/v1/cluster for {Seconds} s; {Subscribers} stream subscribers, {runs} changes; CLI start");
        await using var lab = await BenchLab.UpAsync(await File.ReadAllTextAsync(DemoRunner.DefaultConfig), null, time);
        await lab.WaitAsync("n2", s => s.Groups.Any(g => g.State == "Online"), "web Online");
        string[] command =
        [
            DotnetHost(), typeof(ApiWorker).Assembly.Location, ApiWorker.Command,
            "--clients", Clients.ToString(CultureInfo.InvariantCulture), "--seconds", Seconds.ToString(CultureInfo.InvariantCulture),
            "--subscribers", Subscribers.ToString(CultureInfo.InvariantCulture), "--changes", runs.ToString(CultureInfo.InvariantCulture),
        ];
        var rssBefore = Rss("n2");
        var run = await lab.Lab.ExecCaptureAsync("n2", command, TimeSpan.FromMinutes(5), CancellationToken.None);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"the API worker exited {run.ExitCode}: {run.Stderr.Trim()}");
        }

        var reports = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{'))
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, double>>(l)!).ToList();
        var status = reports.Single(r => r.ContainsKey("kind_status"));
        var table = new TextTable($"api: GET /api/v1/cluster, {Clients} concurrent clients, {Seconds} s", ["requests", "failed", "per s", "p50 ms", "p99 ms", "max ms"]);
        table.AddText([F(status["requests"]), F(status["failed"]), F(status["per_second"]), F(status["p50_ms"]), F(status["p99_ms"]), F(status["max_ms"])]);
        table.Write(output);

        var fanout = reports.Where(r => r.ContainsKey("kind_fanout")).ToList();
        var stream = new TextTable($"api: one state change to {Subscribers} stream subscribers (request sent -> change read by each)", ["change", "missed", "p50 ms", "p99 ms", "max ms"]);
        for (var i = 0; i < fanout.Count; i++)
        {
            stream.AddText([(i + 1).ToString(CultureInfo.InvariantCulture), F(fanout[i]["missed"]), F(fanout[i]["p50_ms"]), F(fanout[i]["p99_ms"]), F(fanout[i]["max_ms"])]);
        }

        stream.AddText(["median", F(Stats.Median(fanout.Select(f => f["missed"]))), F(Stats.Median(fanout.Select(f => f["p50_ms"]))), F(Stats.Median(fanout.Select(f => f["p99_ms"]))), F(Stats.Median(fanout.Select(f => f["max_ms"])))]);
        stream.Write(output);

        var cli = reports.Single(r => r.ContainsKey("kind_cli"));
        output.WriteLine($"CLI start (median of 20): palisade --help {F(cli["help_ms"])} ms; palisade status {F(cli["status_ms"])} ms");
        output.WriteLine($"palisaded on n2: RSS {rssBefore} MiB before, {Rss("n2")} MiB after the load");
    }

    /// <summary>RSS of the palisaded of <paramref name="node"/>, in MiB.</summary>
    private static string Rss(string node) => IdleFootprint.DaemonPid(node) is > 0 and var pid
        ? (IdleFootprint.RssKiB(pid) / 1024.0).ToString("F1", CultureInfo.InvariantCulture)
        : "?";

    private static string F(double value) => value.ToString(value >= 100 ? "F0" : "F1", CultureInfo.InvariantCulture);

    internal static string DotnetHost()
    {
        var host = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));
        return File.Exists(host) ? host : "/usr/bin/dotnet";
    }
}
