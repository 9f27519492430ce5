using System.Globalization;

namespace Palisade.Bench;

/// <summary>
/// Partition resolution time: (a) a two_node cluster (weights 3 and 1) whose lighter node loses its interconnect,
/// (b) four nodes split 2+2. Each run is measured from the cut to the losers' kills that worked, from the fence history.
/// </summary>
internal static class PartitionPart
{
    private const string Verdict = "partition resolution:";

    private sealed record PairRun(double Detection, double Verdict, double AfterVerdict, double KillWorked, double AgentKill);

    private sealed record QuadRun(double N3, double N4, double Both, double N3Kill, double N4Kill);

    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        var pair = await TwoNodesAsync(runs, time, output);
        var table = new TextTable($"partition (a): 2-node two_node cluster, weights n1 3 / n2 1, n2's interconnect cut; medians of {runs} runs (ms)",
            "", "cut->n2 lost", "cut->verdict", "verdict->KillWorked", "cut->KillWorked", "agent kill");
        table.Add("median", Stats.Median(pair.Select(r => r.Detection)), Stats.Median(pair.Select(r => r.Verdict)),
            Stats.Median(pair.Select(r => r.AfterVerdict)), Stats.Median(pair.Select(r => r.KillWorked)), Stats.Median(pair.Select(r => r.AgentKill)));
        table.Write(output);

        output.WriteLine();
        var quad = await FourNodesAsync(runs, time, output);
        table = new TextTable($"partition (b): 4 nodes split [n1 n2] | [n3 n4]; medians of {runs} runs (ms)",
            "", "cut->n3 KillWorked", "cut->n4 KillWorked", "cut->both", "n3 agent kill", "n4 agent kill");
        table.Add("median", Stats.Median(quad.Select(r => r.N3)), Stats.Median(quad.Select(r => r.N4)), Stats.Median(quad.Select(r => r.Both)),
            Stats.Median(quad.Select(r => r.N3Kill)), Stats.Median(quad.Select(r => r.N4Kill)));
        table.Write(output);
    }

    private static async Task<List<PairRun>> TwoNodesAsync(int runs, TimeProvider time, TextWriter output)
    {
        output.WriteLine("partition (a): two nodes, weights 3 and 1");
        var yaml = BenchCluster.Yaml("pair", BenchCluster.Same(2, i => [BenchAgents.Ipmi(BenchAgents.Bmc(i))]), weights: [3, 1]);
        await using var lab = await BenchLab.UpAsync(yaml, "n1", time);
        var results = new List<PairRun>();
        for (var i = 1; i <= runs; i++)
        {
            var cut = lab.NowMs;
            await lab.Lab.CutAsync("n2", allLinks: false, CancellationToken.None);
            await lab.WaitAsync("n1", s => BenchLab.NodeIs(s, "n2", "Fenced"), "n2 Fenced by n1");
            var (worked, _) = await lab.WaitWorkedAsync("n1", "n2", cut);
            var end = BenchLab.EndMs(worked);
            var lost = lab.FirstLogLine("n1", cut, "node n2 left (");
            var verdict = lab.FirstLogLine("n1", cut, Verdict)
                ?? throw new InvalidOperationException($"n1 fenced n2 without logging a '{Verdict}' line");
            var run = new PairRun(lost is { } l ? l.AtMs - cut : double.NaN, verdict.AtMs - cut, end - verdict.AtMs, end - cut, worked.DurationMs);
            results.Add(run);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {i}: KillWorked {run.KillWorked:F0} ms after the cut, {run.AfterVerdict:F0} ms after n1's verdict ({verdict.Message[Verdict.Length..].Trim()}); {worked.Reason}"));
            await lab.Lab.HealAsync("n2", CancellationToken.None);
            await lab.Lab.PowerAsync("n2", "on", CancellationToken.None);
            await lab.WaitAsync("n1", BenchLab.Whole, "n2 back Online");
        }

        return results;
    }

    private static async Task<List<QuadRun>> FourNodesAsync(int runs, TimeProvider time, TextWriter output)
    {
        output.WriteLine("partition (b): four nodes split 2+2");
        var yaml = BenchCluster.Yaml("quad", BenchCluster.Same(4, i => [BenchAgents.Ipmi(BenchAgents.Bmc(i))]));
        await using var lab = await BenchLab.UpAsync(yaml, "n1", time);
        string[] losers = ["n3", "n4"];
        var results = new List<QuadRun>();
        for (var i = 1; i <= runs; i++)
        {
            var cut = lab.NowMs;
            await lab.Lab.SplitAsync(losers, CancellationToken.None);
            await lab.WaitAsync("n1", s => losers.All(n => BenchLab.NodeIs(s, n, "Fenced")), "n3 and n4 Fenced");
            var (n3, _) = await lab.WaitWorkedAsync("n1", "n3", cut);
            var (n4, _) = await lab.WaitWorkedAsync("n1", "n4", cut);
            var run = new QuadRun(BenchLab.EndMs(n3) - cut, BenchLab.EndMs(n4) - cut, Math.Max(BenchLab.EndMs(n3), BenchLab.EndMs(n4)) - cut, n3.DurationMs, n4.DurationMs);
            results.Add(run);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {i}: n3 KillWorked {run.N3:F0} ms, n4 {run.N4:F0} ms after the split (by {n3.By}, {n4.By})"));
            foreach (var node in losers)
            {
                await lab.Lab.HealAsync(node, CancellationToken.None);
            }

            foreach (var node in losers)
            {
                await lab.Lab.PowerAsync(node, "on", CancellationToken.None);
            }

            await lab.WaitAsync("n1", BenchLab.Whole, "n3 and n4 back Online");
        }

        return results;
    }
}
