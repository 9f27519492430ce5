using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Lab;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>
/// Lab failover benchmark: powers off the node serving the demo group N times and reports the median of each phase,
/// then the idle footprint of palisaded.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var runs = args.Length > 1 && args[0] == "--runs" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var lab = new LabController(new LabOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        var probe = new ClusterProbe(lab);
        await lab.DownAsync(CancellationToken.None);
        try
        {
            var status = await lab.UpAsync(null, DemoRunner.DefaultConfig, CancellationToken.None);
            var nodes = status.Nodes.Select(n => n.Name).ToList();
            Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}; lab: {nodes.Count} nodes, token 1000 ms, token_coefficient 0");
            await probe.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, "web"), TimeSpan.FromSeconds(60), "web Online", CancellationToken.None);
            // Let start-up work (JIT tiering, first monitors) pass: idle means a cluster that has been up a while.
            await Task.Delay(TimeSpan.FromSeconds(30));
            var idle = await IdleFootprint.MeasureAsync(lab.StatePath, nodes, TimeSpan.FromSeconds(10));
            var results = new List<FailoverPhases>();
            for (var i = 1; i <= runs; i++)
            {
                await using var client = ServicePoller.Start("198.18.0.100", 8080, TimeSpan.FromMinutes(2));
                await WaitForClientAsync(client);
                var phases = await new FailoverScenario(lab, probe).PowerOffOwnerAsync("web", nodes, client, CancellationToken.None);
                results.Add(phases);
                Console.WriteLine(Row($"run {i} ({phases.Lost}->{phases.NewOwner})", phases));
                await lab.PowerAsync(phases.Lost, "on", CancellationToken.None);
                await probe.WaitAsync(phases.NewOwner, s => s.Nodes.All(n => n.State == "Online"), TimeSpan.FromSeconds(60), $"{phases.Lost} back Online", CancellationToken.None);
            }

            Console.WriteLine(Row("median", Median(results)));
            Console.WriteLine(idle);
            return 0;
        }
        finally
        {
            await lab.DownAsync(CancellationToken.None);
        }
    }

    private static async Task WaitForClientAsync(ServicePoller client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!client.Polls.Any(p => p.Node is not null) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private static string Row(string label, FailoverPhases p) => string.Create(
        CultureInfo.InvariantCulture,
        $"{label,-16} detection {p.Detection,6:F0} ms | fencing {p.FenceAgent,5:F0} ms | resource start {p.ResourceStart,5:F0} ms | Palisade overhead {p.Overhead,4:F0} ms | power-off->Online {p.EndToEnd,6:F0} ms | client downtime {p.ClientDowntime,6:F0} ms");

    private static FailoverPhases Median(List<FailoverPhases> all)
    {
        static double M(IEnumerable<double> values)
        {
            var sorted = values.OrderBy(v => v).ToList();
            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }

        return new FailoverPhases("-", "-", M(all.Select(p => p.Detection)), M(all.Select(p => p.FenceAgent)), M(all.Select(p => p.ResourceStart)),
            M(all.Select(p => p.EndToEnd)), M(all.Select(p => p.Overhead)), M(all.Select(p => p.ClientDowntime)));
    }
}
