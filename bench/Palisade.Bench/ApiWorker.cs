using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Palisade.Bench;

/// <summary>
/// The API benchmark's part inside a lab node (where the API listens on loopback): status under many concurrent
/// clients, then the event stream's fan-out to many subscribers, then the CLI's start. One JSON line per result.
/// </summary>
internal static class ApiWorker
{
    public const string Command = "api-worker";

    public static async Task<int> RunAsync(string[] args)
    {
        int Arg(string name, int fallback) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length
            ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        var clients = Arg("--clients", 200);
        var seconds = Arg("--seconds", 10);
        var subscribers = Arg("--subscribers", 500);
        var changes = Arg("--changes", 5);
        var url = File.ReadAllText("/etc/palisade/api.url").Trim();
        var token = File.ReadAllText("/etc/palisade/api.token").Trim();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(clients, subscribers) + 10, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Report("status", await StatusLoadAsync(http, clients, TimeSpan.FromSeconds(seconds)));
        for (var i = 1; i <= changes; i++)
        {
            Report("fanout", await FanOutAsync(http, subscribers, i % 2 == 1 ? "suspend" : "resume"));
        }

        Report("cli", await CliAsync(20));
        return 0;
    }

    private static void Report(string kind, Dictionary<string, double> figures)
    {
        figures["kind_" + kind] = 1;
        Console.WriteLine(JsonSerializer.Serialize(figures));
    }

    /// <summary>Every client asks GET /api/v1/cluster again as soon as it has its answer, for the whole duration.</summary>
    private static async Task<Dictionary<string, double>> StatusLoadAsync(HttpClient http, int clients, TimeSpan duration)
    {
        // Warm the server and the connections first.
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => http.GetStringAsync("/api/v1/cluster")));
        var latencies = new List<double>[clients];
        var failures = 0;
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            var mine = latencies[c] = [];
            while (Stopwatch.GetTimestamp() < until)
            {
                var start = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync("/api/v1/cluster");
                _ = await response.Content.ReadAsByteArrayAsync();
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }

                mine.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new()
        {
            ["clients"] = clients,
            ["requests"] = all.Count,
            ["failed"] = failures,
            ["per_second"] = all.Count / duration.TotalSeconds,
            ["p50_ms"] = Percentile(all, 0.50),
            ["p99_ms"] = Percentile(all, 0.99),
            ["max_ms"] = all[^1],
        };
    }

    /// <summary>
    /// Subscribers on GET /api/v1/stream; once every one has its snapshot, one monitor action changes the state and
    /// each subscriber's delay from the request to the change reaching it is measured.
    /// </summary>
    private static async Task<Dictionary<string, double>> FanOutAsync(HttpClient http, int subscribers, string action)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var ready = new CountdownEvent(subscribers);
        var sent = 0L;
        var seen = new double[subscribers];
        Array.Fill(seen, double.NaN);
        var streams = Enumerable.Range(0, subscribers).Select(async i =>
        {
            try
            {
                seen[i] = await FirstSightAsync(http, $"monitor web/hello: {action} on every node", ready, () => Interlocked.Read(ref sent), stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException)
            {
                // counted as missed below
            }
        }).ToList();
        if (!ready.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"only {subscribers - ready.CurrentCount} of {subscribers} subscribers got their snapshot within 30 s");
        }

        Interlocked.Exchange(ref sent, Stopwatch.GetTimestamp());
        using (var post = await http.PostAsync($"/api/v1/monitors/web%2Fhello/{action}", null))
        {
            post.EnsureSuccessStatusCode();
        }

        await Task.WhenAll(streams);
        var delays = seen.Where(d => !double.IsNaN(d)).Order().ToList();
        return new()
        {
            ["subscribers"] = subscribers,
            ["missed"] = subscribers - delays.Count,
            ["p50_ms"] = Percentile(delays, 0.50),
            ["p99_ms"] = Percentile(delays, 0.99),
            ["max_ms"] = delays[^1],
        };
    }

    /// <summary>
    /// One subscriber: signals <paramref name="ready"/> on its snapshot, then returns how long after the request was
    /// sent (<paramref name="sentAt"/>, a timestamp; 0 until then) a change with <paramref name="note"/> reached it.
    /// </summary>
    private static async Task<double> FirstSightAsync(HttpClient http, string note, CountdownEvent ready, Func<long> sentAt, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/stream");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        var counted = false;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line == "event: snapshot" && !counted)
            {
                counted = true;
                ready.Signal();
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains(note, StringComparison.Ordinal) && sentAt() is var at and > 0)
            {
                return Stopwatch.GetElapsedTime(at).TotalMilliseconds;
            }
        }

        return double.NaN;
    }

    /// <summary>The installed CLI's start: <c>palisade --help</c> (no daemon) and <c>palisade status</c> (one request).</summary>
    private static async Task<Dictionary<string, double>> CliAsync(int runs)
    {
        async Task<double> Median(string[] args)
        {
            var times = new List<double>();
            for (var i = 0; i < runs; i++)
            {
                var start = Stopwatch.GetTimestamp();
                using var p = Process.Start(new ProcessStartInfo("/usr/local/bin/palisade", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
                await p.StandardOutput.ReadToEndAsync();
                await p.WaitForExitAsync();
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            return Percentile([.. times.Order()], 0.5);
        }

        return new() { ["help_ms"] = await Median(["--help"]), ["status_ms"] = await Median(["status"]) };
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
