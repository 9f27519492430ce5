using System.Globalization;
using Palisade.Core.Shutdown;

namespace Palisade.Bench;

/// <summary>
/// Node loss to KillWorked per agent chain: a 3-node lab whose nodes all have the chain; the node running the
/// group is powered off through the lab N times, and the fence history says when the kill that worked ended.
/// </summary>
internal static class FencingPart
{
    private sealed record Chain(string Name, Func<int, IReadOnlyList<string>> Agents);

    private sealed record Run(double Detection, double FirstAttempt, double KillWorked, double AgentKill, int Attempts);

    private static readonly Chain[] Chains =
    [
        new("ipmi", i => [BenchAgents.Ipmi(BenchAgents.Bmc(i))]),
        new("fence-agent (fence_ipmilan)", i => [BenchAgents.FenceIpmilan(BenchAgents.Bmc(i))]),
        new("redfish", i => [BenchAgents.Redfish(BenchAgents.Bmc(i))]),
        new("ipmi (dead BMC, 2 s) -> redfish", i => [BenchAgents.Ipmi(BenchAgents.DeadBmc, timeoutSeconds: 2), BenchAgents.Redfish(BenchAgents.Bmc(i))]),
    ];

    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        var table = new TextTable($"fencing: node loss -> KillWorked, 3 nodes, medians of {runs} runs (ms)",
            "agent chain", "detection", "first attempt", "KillWorked", "agent kill", "attempts");
        foreach (var chain in Chains)
        {
            output.WriteLine($"fencing: {chain.Name}");
            var results = await MeasureAsync(chain, runs, time, output);
            table.Add(chain.Name,
                Stats.Median(results.Select(r => r.Detection)), Stats.Median(results.Select(r => r.FirstAttempt)),
                Stats.Median(results.Select(r => r.KillWorked)), Stats.Median(results.Select(r => r.AgentKill)),
                Stats.Median(results.Select(r => (double)r.Attempts)));
        }

        table.Write(output);
    }

    private static async Task<List<Run>> MeasureAsync(Chain chain, int runs, TimeProvider time, TextWriter output)
    {
        var yaml = BenchCluster.Yaml("fencing", BenchCluster.Same(3, chain.Agents));
        await using var lab = await BenchLab.UpAsync(yaml, "n1", time);
        var results = new List<Run>();
        for (var i = 1; i <= runs; i++)
        {
            var owner = await lab.OwnerAsync();
            var survivors = lab.Names.Where(n => n != owner).ToList();
            var before = lab.NowMs;
            await lab.Lab.PowerAsync(owner, "off", CancellationToken.None);
            // The ledger line is written once every process of the node is gone: the moment the node was lost.
            var lost = lab.PowerOffMs(owner, before) ?? before;
            await lab.WaitAsync(survivors[0], s => BenchLab.NodeIs(s, owner, "Fenced"), $"{owner} Fenced");
            var (worked, attempts) = await lab.WaitWorkedAsync(survivors[0], owner, before);
            var detected = lab.FirstLogLine(survivors, before, $"node {owner} left (");
            var run = new Run(
                detected is { } d ? d.AtMs - lost : double.NaN,
                attempts[0].Started.ToUnixTimeMilliseconds() - lost,
                BenchLab.EndMs(worked) - lost,
                worked.DurationMs,
                attempts.Count);
            results.Add(run);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  run {i}: {owner} off; detection {TextTable.Cell(run.Detection)} ms, KillWorked {run.KillWorked:F0} ms after the loss ({worked.Agent} by {worked.By}, {worked.DurationMs} ms: {worked.Reason}){Failed(attempts)}"));
            await lab.Lab.PowerAsync(owner, "on", CancellationToken.None);
            await lab.WaitAsync(survivors[0], BenchLab.Whole, $"{owner} back Online");
        }

        return results;
    }

    private static string Failed(IReadOnlyList<FenceRecord> attempts) =>
        attempts.Count <= 1 ? "" : "; before it: " + string.Join("; ", attempts.Where(a => a.Result != FenceResult.Worked)
            .Select(a => $"{a.Agent} {a.Result} in {a.DurationMs} ms"));
}
