using System.Globalization;
using System.Text.Json;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>
/// The web view's first paint in the demo lab, measured from inside node n2 by <see cref="WebPaintWorker"/>: a new
/// headless Chromium per run opens the view served by n2's palisaded; first contentful paint and the moment every
/// table shows the cluster, from the navigation's start.
/// </summary>
internal static class WebPart
{
    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        output.WriteLine($"web: inside lab node n2, {runs} runs of a new headless Chromium opening the web view (nothing cached)");
        await using var lab = await BenchLab.UpAsync(await File.ReadAllTextAsync(DemoRunner.DefaultConfig), null, time);
        await lab.WaitAsync("n2", s => s.Groups.Any(g => g.State == "Online"), "web Online");
        string[] command = [ApiPart.DotnetHost(), typeof(WebPaintWorker).Assembly.Location, WebPaintWorker.Command, "--runs", runs.ToString(CultureInfo.InvariantCulture)];
        var run = await lab.Lab.ExecCaptureAsync("n2", command, TimeSpan.FromMinutes(5), CancellationToken.None);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"the web paint worker exited {run.ExitCode}: {run.Stderr.Trim()}");
        }

        var reports = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{'))
            .Select(l => JsonSerializer.Deserialize<Dictionary<string, double>>(l)!).ToList();
        var table = new TextTable("web: the web view's first paint (ms from navigation start)", ["run", "first contentful paint", "cluster shown"]);
        for (var i = 0; i < reports.Count; i++)
        {
            table.AddText([(i + 1).ToString(CultureInfo.InvariantCulture), F(reports[i]["fcp_ms"]), F(reports[i]["shown_ms"])]);
        }

        table.AddText(["median", F(Stats.Median(reports.Select(r => r["fcp_ms"]))), F(Stats.Median(reports.Select(r => r["shown_ms"])))]);
        table.Write(output);
    }

    private static string F(double value) => value.ToString("F0", CultureInfo.InvariantCulture);
}
