using System.Globalization;
using Palisade.Core.Status;
using Palisade.Lab;

namespace Palisade.Scenarios.Chaos;

/// <summary>The outcome of one chaos run: its seed, its steps, and what went wrong (empty: nothing).</summary>
public sealed record ChaosRunResult(int Seed, IReadOnlyList<ChaosStep> Steps, IReadOnlyList<string> Violations, double RecoverySeconds);

/// <summary>
/// Random fault schedules against a running lab (power, kill -9 palisaded, cuts, splits, BMC outages, monitor
/// failures, random gaps). After each schedule every fault is repaired and the run is audited: the service never ran
/// on two nodes at once (the ledger), both sides of a split were never fenced, and the group is Online again within
/// <see cref="RecoveryLimit"/> of the last repair. Every node is then brought back Online for the next run.
/// </summary>
public sealed partial class ChaosRunner(LabController lab, TextWriter output, string group = "web")
{
    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RestoreLimit = TimeSpan.FromSeconds(120);
    private readonly ClusterProbe _probe = new(lab);
    private bool _labLost;

    /// <summary>Where the logs of failed runs are kept (the lab itself is torn down at the end).</summary>
    public static string KeptLogsRoot { get; set; } = "/var/tmp/palisade-chaos";

    /// <summary>Brings the lab up from <paramref name="configPath"/>, runs <paramref name="runs"/> schedules, tears it down.</summary>
    public async Task<IReadOnlyList<ChaosRunResult>> RunAsync(string configPath, int runs, int seed, CancellationToken ct)
    {
        await lab.DownAsync(ct).ConfigureAwait(false);
        if (File.Exists(lab.LedgerPath))
        {
            File.Delete(lab.LedgerPath);
        }

        var results = new List<ChaosRunResult>();
        try
        {
            var status = await lab.UpAsync(null, configPath, ct).ConfigureAwait(false);
            var nodes = status.Nodes.Select(n => n.Name).ToList();
            await _probe.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, group), RestoreLimit, $"{group} Online after start-up", ct).ConfigureAwait(false);
            for (var i = 0; i < runs; i++)
            {
                var result = await RunOneAsync(seed + i, nodes, ct).ConfigureAwait(false);
                results.Add(result);
                output.WriteLine(result.Violations.Count == 0
                    ? $"run {i + 1}/{runs} seed {result.Seed}: ok, {group} Online {result.RecoverySeconds.ToString("0.0", CultureInfo.InvariantCulture)} s after the last repair"
                    : $"run {i + 1}/{runs} seed {result.Seed}: FAILED\n  " + string.Join("\n  ", result.Violations));
                if (result.Violations.Count > 0)
                {
                    output.WriteLine($"  logs of the run kept in {KeepLogs(result.Seed)}");
                }

                if (_labLost && i + 1 < runs)
                {
                    // The lab did not come back: the next runs start from a fresh one.
                    output.WriteLine("  the lab did not come back: building a fresh one for the next run");
                    await lab.DownAsync(ct).ConfigureAwait(false);
                    await lab.UpAsync(null, configPath, ct).ConfigureAwait(false);
                    await _probe.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, group), RestoreLimit, $"{group} Online after start-up", ct).ConfigureAwait(false);
                    _labLost = false;
                }
            }
        }
        finally
        {
            await lab.DownAsync(CancellationToken.None).ConfigureAwait(false);
        }

        var failed = results.Where(r => r.Violations.Count > 0).ToList();
        if (failed.Count > 0)
        {
            output.WriteLine($"failing seeds: {string.Join(", ", failed.Select(r => r.Seed))} (replay one with: palisade lab chaos --runs 1 --seed S)");
        }

        output.WriteLine($"{results.Count} runs, {failed.Count} failed");
        return results;
    }

    private async Task<ChaosRunResult> RunOneAsync(int seed, IReadOnlyList<string> nodes, CancellationToken ct)
    {
        var steps = ChaosSchedule.For(seed, nodes);
        output.WriteLine($"run seed {seed}: {string.Join("; ", steps)}");
        var violations = new List<string>();
        var ledgerStart = Ledger.Read(lab.LedgerPath).Count;
        var fencedBefore = (await FencesAsync(nodes, ct).ConfigureAwait(false)).Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        var splits = new List<string>();
        foreach (var step in steps)
        {
            try
            {
                await InjectAsync(step, nodes, splits, ct).ConfigureAwait(false);
            }
            catch (LabException e)
            {
                output.WriteLine($"  ({step.Fault} on {step.Node} not injected: {e.Message})");
            }

            await Task.Delay(step.GapAfter, ct).ConfigureAwait(false);
        }

        var healed = DateTimeOffset.UtcNow;
        await RepairAsync(nodes, ct).ConfigureAwait(false);
        var recovery = await WaitOnlineAsync(nodes, healed, violations, ct).ConfigureAwait(false);

        var entries = Ledger.Read(lab.LedgerPath);
        violations.AddRange(Ledger.Overlaps(Ledger.Activities(entries)).Select(o => $"double activation: {o}"));
        try
        {
            await RestoreAsync(nodes, ct).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            violations.Add($"{e.Message}:\n{await DescribeAsync(nodes, ct).ConfigureAwait(false)}");
            _labLost = true;
        }

        var fenced = (await FencesAsync(nodes, ct).ConfigureAwait(false)).Where(f => !fencedBefore.Contains(f.Id)).ToList();
        foreach (var island in splits.Distinct())
        {
            // Both sides acted in the split: the island fenced a node before the repair and before it was fenced
            // itself, and the other side fenced the island before the repair. A fence the island's node runs after
            // it was powered off and back on, or once the links are healed, belongs to another life of the cluster.
            var ofIsland = fenced.Where(f => f.By != island && f.Target == island && f.Started < healed).ToList();
            var byIsland = fenced.Where(f => f.By == island && f.Target != island && f.Started < healed
                && ofIsland.Any(o => f.Started < o.Ended)).ToList();
            if (byIsland.Count > 0 && ofIsland.Count > 0)
            {
                violations.Add($"both sides of the split of {island} were fenced: {string.Join(", ", byIsland.Concat(ofIsland))}");
            }
        }

        if (violations.Count > 0)
        {
            violations.Add("ledger of the run:\n    " + string.Join("\n    ", entries.Skip(ledgerStart)));
        }

        return new ChaosRunResult(seed, steps, violations, recovery);
    }

    private async Task<double> WaitOnlineAsync(IReadOnlyList<string> nodes, DateTimeOffset healed, List<string> violations, CancellationToken ct)
    {
        while (DateTimeOffset.UtcNow - healed < RecoveryLimit)
        {
            foreach (var node in nodes)
            {
                if (await _probe.StatusAsync(node, ct).ConfigureAwait(false) is not { } s)
                {
                    continue;
                }

                if (ClusterProbe.GroupOnline(s, group) && s.Quorate)
                {
                    return (DateTimeOffset.UtcNow - healed).TotalSeconds;
                }

                if (s.Quorate && RecoveryUsedUp(s))
                {
                    // More service kills in this run than the ladder has rungs: the group stays with its failed
                    // resource by design. Part of the repair, as an operator would: clear the failures.
                    await lab.ExecCaptureAsync(node, ["/usr/local/bin/palisade", "group", "cleanup", group], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                }
            }

            await Task.Delay(200, ct).ConfigureAwait(false);
        }

        violations.Add($"{group} not Online within {RecoveryLimit.TotalSeconds:0} s of the last repair:\n{await DescribeAsync(nodes, ct).ConfigureAwait(false)}");
        return -1;
    }

    /// <summary>The group is Online with a failed resource whose monitor has used every restart and failover.</summary>
    private bool RecoveryUsedUp(StatusReport s) =>
        ClusterProbe.Group(s, group) is { State: "Online" } g && g.Resources.Any(r => r.State == "Failed")
        && s.Monitors.Any(m => m.Name.StartsWith(group + "/", StringComparison.Ordinal)
            && m.Counters.Restarts >= m.Counters.RestartLimit && m.Counters.Failovers >= m.Counters.FailoverLimit);

    /// <summary>What every node's palisaded says, or that it does not answer.</summary>
    private async Task<string> DescribeAsync(IReadOnlyList<string> nodes, CancellationToken ct)
    {
        var seen = new List<string>();
        foreach (var node in nodes)
        {
            seen.Add(await _probe.StatusAsync(node, ct).ConfigureAwait(false) is { } s ? $"{node}: {StatusText.Render(s)}" : $"{node}: no answer");
        }

        return string.Join("\n", seen);
    }

    /// <summary>Copies every node's palisaded and corosync logs and the ledger of a failed run; returns the directory.</summary>
    private string KeepLogs(int seed)
    {
        var target = Path.Combine(KeptLogsRoot, $"seed-{seed.ToString(CultureInfo.InvariantCulture)}");
        try
        {
            Directory.CreateDirectory(target);
            var nodesDir = Path.Combine(lab.StatePath, "nodes");
            foreach (var nodeDir in Directory.Exists(nodesDir) ? Directory.GetDirectories(nodesDir) : [])
            {
                foreach (var sub in new[] { "log-palisade", "log-corosync" })
                {
                    var from = Path.Combine(nodeDir, sub);
                    foreach (var file in Directory.Exists(from) ? Directory.GetFiles(from) : [])
                    {
                        File.Copy(file, Path.Combine(target, $"{Path.GetFileName(nodeDir)}-{Path.GetFileName(file)}"), overwrite: true);
                    }
                }
            }

            if (File.Exists(lab.LedgerPath))
            {
                File.Copy(lab.LedgerPath, Path.Combine(target, "ledger"), overwrite: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{target} (partly: {e.Message})";
        }

        return target;
    }
}
