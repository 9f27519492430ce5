using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Palisade.Lab;

namespace Palisade.Scenarios.Chaos;

/// <summary>Injecting faults, repairing them, and bringing every node back between runs.</summary>
public sealed partial class ChaosRunner
{
    private static readonly TimeSpan ExecLimit = TimeSpan.FromSeconds(10);
    private readonly HashSet<string> _daemonKilled = new(StringComparer.Ordinal);

    private async Task InjectAsync(ChaosStep step, IReadOnlyList<string> nodes, List<string> splits, CancellationToken ct)
    {
        switch (step.Fault)
        {
            case ChaosFault.PowerOff:
                await lab.PowerAsync(step.Node, "off", ct).ConfigureAwait(false);
                _daemonKilled.Remove(step.Node);
                break;
            case ChaosFault.KillDaemon:
                if (await KillDaemonAsync(step.Node).ConfigureAwait(false))
                {
                    _daemonKilled.Add(step.Node);
                }

                break;
            case ChaosFault.Cut or ChaosFault.CutAll:
                await lab.CutAsync(step.Node, step.Fault == ChaosFault.CutAll, ct).ConfigureAwait(false);
                splits.Add(step.Node);
                break;
            case ChaosFault.Split:
                await lab.SplitAsync([step.Node], ct).ConfigureAwait(false);
                splits.Add(step.Node);
                break;
            case ChaosFault.BmcDown:
                await lab.SetBmcAsync(step.Node, up: false, ct).ConfigureAwait(false);
                break;
            case ChaosFault.MonitorFailure:
                await KillServiceAsync(nodes, ct).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Heals every link, brings every BMC back, powers on what is off and restarts the palisaded it killed.</summary>
    private async Task RepairAsync(IReadOnlyList<string> nodes, CancellationToken ct)
    {
        foreach (var node in nodes)
        {
            await lab.HealAsync(node, ct).ConfigureAwait(false);
            await lab.SetBmcAsync(node, up: true, ct).ConfigureAwait(false);
        }

        await PowerOnAsync(ct).ConfigureAwait(false);
        foreach (var node in _daemonKilled.ToList())
        {
            await StartDaemonAsync(node, ct).ConfigureAwait(false);
        }

        _daemonKilled.Clear();
    }

    /// <summary>Until every node is Online (nodes fenced during the repair are powered on again) and the group runs.</summary>
    private async Task RestoreAsync(IReadOnlyList<string> nodes, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + RestoreLimit;
        while (DateTime.UtcNow < deadline)
        {
            await PowerOnAsync(ct).ConfigureAwait(false);
            if (await _probe.StatusAsync(nodes[0], ct).ConfigureAwait(false) is { } s
                && s.Nodes.All(n => n.State == "Online") && ClusterProbe.GroupOnline(s, group))
            {
                // As an operator would after repairs: the failures of this run do not count against the next one.
                await lab.ExecCaptureAsync(nodes[0], ["/usr/local/bin/palisade", "group", "cleanup", group], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                return;
            }

            await Task.Delay(500, ct).ConfigureAwait(false);
        }

        throw new TimeoutException($"the lab did not come back with every node Online within {RestoreLimit.TotalSeconds:0} s");
    }

    private async Task PowerOnAsync(CancellationToken ct)
    {
        foreach (var node in (await lab.StatusAsync(ct).ConfigureAwait(false)).Nodes.Where(n => n.Power == "off"))
        {
            await lab.PowerAsync(node.Name, "on", ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts palisaded on <paramref name="node"/> unless one runs there already. A node powered on during the repair
    /// may be starting its own at the same moment: the second to come refuses to run (one palisaded per node).
    /// </summary>
    private async Task StartDaemonAsync(string node, CancellationToken ct)
    {
        if ((await NodeProcesses.InNodeAsync(node, "palisaded").ConfigureAwait(false)).Count > 0)
        {
            return;
        }

        try
        {
            await lab.ExecCaptureAsync(node,
                ["/bin/sh", "-c", "setsid /usr/local/sbin/palisaded --config /etc/palisade/palisade.yaml >>/var/log/palisade/palisaded.log 2>&1 < /dev/null &"],
                ExecLimit, ct).ConfigureAwait(false);
        }
        catch (LabException)
        {
            // fenced (powered off) meanwhile: it boots with its own palisaded when powered on
        }
    }

    /// <summary>SIGKILLs palisaded inside one node only (the nodes share the pid namespace).</summary>
    private static async Task<bool> KillDaemonAsync(string node)
    {
        var pids = await NodeProcesses.InNodeAsync(node, "palisaded").ConfigureAwait(false);
        if (pids.Count == 0)
        {
            return false;
        }

        using var process = Process.GetProcessById(pids[0]);
        process.Kill();
        using var limit = new CancellationTokenSource(ExecLimit);
        await process.WaitForExitAsync(limit.Token).ConfigureAwait(false); // a dying palisaded still holds its node's lock
        return true;
    }

    /// <summary>The service dies on the node running the group; the ledger records its end as the service would.</summary>
    private async Task KillServiceAsync(IReadOnlyList<string> nodes, CancellationToken ct)
    {
        foreach (var node in nodes)
        {
            if (await _probe.StatusAsync(node, ct).ConfigureAwait(false) is { } s && ClusterProbe.Group(s, group) is { State: "Online", Node: { } owner })
            {
                ExecResult r;
                try
                {
                    r = await lab.ExecCaptureAsync(owner, ["/bin/sh", "-c", "kill -9 $(cat /run/palisade-hello.pid) && rm -f /run/palisade-hello.pid"], ExecLimit, ct).ConfigureAwait(false);
                }
                catch (LabException)
                {
                    return; // its node went down meanwhile
                }

                if (r.ExitCode == 0)
                {
                    await File.AppendAllTextAsync(lab.LedgerPath, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {owner} stop hello\n", ct).ConfigureAwait(false);
                }

                return;
            }
        }
    }

    /// <summary>Successful fences so far (id, who fenced, whom, when it began and ended), from the replicated fence history of any node that answers.</summary>
    private async Task<IReadOnlyList<ChaosFence>> FencesAsync(IReadOnlyList<string> nodes, CancellationToken ct)
    {
        foreach (var node in nodes)
        {
            ExecResult r;
            try
            {
                r = await lab.ExecCaptureAsync(node, ["/usr/local/bin/palisade", "sd", "--history", "--output", "json"], ExecLimit, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LabException or TimeoutException)
            {
                continue;
            }

            if (r.ExitCode != 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(r.Stdout);
            return [.. doc.RootElement.EnumerateArray()
                .Where(e => e.GetProperty("result").GetString() == "Worked")
                .Select(e => new ChaosFence(
                    $"{e.GetProperty("started").GetString()}/{e.GetProperty("by").GetString()}/{e.GetProperty("target").GetString()}/{e.GetProperty("agent").GetString()}",
                    e.GetProperty("by").GetString() ?? "",
                    e.GetProperty("target").GetString() ?? "",
                    e.GetProperty("started").GetDateTimeOffset(),
                    TimeSpan.FromMilliseconds(e.GetProperty("durationMs").GetInt64())))];
        }

        return [];
    }
}

/// <summary>One successful fence from the history.</summary>
internal sealed record ChaosFence(string Id, string By, string Target, DateTimeOffset Started, TimeSpan Duration)
{
    public DateTimeOffset Ended => Started + Duration;

    public override string ToString() => $"{By} fenced {Target} at {Started:HH:mm:ss.fff}";
}
