using System.Globalization;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>
/// The demo failover: powers off the node serving the demo group N times and reports the median of each phase,
/// then the idle footprint of palisaded.
/// </summary>
internal static class FailoverPart
{
    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output) =>
        await RunAsync(await File.ReadAllTextAsync(DemoRunner.DefaultConfig), "failover", measureIdle: true, runs, time, output);

    /// <summary>The failover of <paramref name="yaml"/>'s group 'web'; returns the median power-off-to-Online (ms).</summary>
    public static async Task<double> RunAsync(string yaml, string label, bool measureIdle, int runs, TimeProvider time, TextWriter output)
    {
        await using var lab = await BenchLab.UpAsync(yaml, null, time);
        var nodes = lab.Names.ToList();
        output.WriteLine($"{label}: demo lab, {nodes.Count} nodes, token 1000 ms, token_coefficient 0");
        await lab.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, "web"), "web Online");
        var idle = "";
        if (measureIdle)
        {
            // Let start-up work (JIT tiering, first monitors) pass: idle means a cluster that has been up a while.
            await Task.Delay(TimeSpan.FromSeconds(30), time);
            idle = await IdleFootprint.MeasureAsync(lab.Lab.StatePath, nodes, TimeSpan.FromSeconds(10));
        }

        var results = new List<FailoverPhases>();
        var table = new TextTable($"{label}: power-off of the node running 'web' (ms)",
            "run", "detection", "fencing", "resource start", "Palisade overhead", "power-off->Online", "client downtime");
        for (var i = 1; i <= runs; i++)
        {
            await using var client = ServicePoller.Start("198.18.0.100", 8080, TimeSpan.FromMinutes(2));
            await WaitForClientAsync(client, time);
            var phases = await new FailoverScenario(lab.Lab, lab.Probe).PowerOffOwnerAsync("web", nodes, client, CancellationToken.None);
            results.Add(phases);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {i} ({phases.Lost}->{phases.NewOwner}): power-off->Online {phases.EndToEnd:F0} ms, client downtime {phases.ClientDowntime:F0} ms"));
            table.Add($"{i} ({phases.Lost}->{phases.NewOwner})", Values(phases));
            await lab.Lab.PowerAsync(phases.Lost, "on", CancellationToken.None);
            await lab.WaitAsync(phases.NewOwner, s => s.Nodes.All(n => n.State == "Online"), $"{phases.Lost} back Online");
        }

        table.Add("median", [.. Enumerable.Range(0, 6).Select(c => Stats.Median(results.Select(r => Values(r)[c])))]);
        table.Write(output);
        if (measureIdle)
        {
            output.WriteLine(idle);
        }

        return Stats.Median(results.Select(r => r.EndToEnd));
    }

    private static double[] Values(FailoverPhases p) => [p.Detection, p.FenceAgent, p.ResourceStart, p.Overhead, p.EndToEnd, p.ClientDowntime];

    private static async Task WaitForClientAsync(ServicePoller client, TimeProvider time)
    {
        var deadline = time.GetUtcNow().AddSeconds(20);
        while (!client.Polls.Any(p => p.Node is not null) && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), time);
        }
    }
}
