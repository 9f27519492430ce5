using System.Diagnostics;
using System.Globalization;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;
using static Palisade.Integration.Tests.Shutdown.ShutdownConfigs;

namespace Palisade.Integration.Tests.Shutdown;

/// <summary>
/// Watchdog self-fencing on a real lab, with the lab's simulated watchdogs (a FIFO per node, watched from pal-bmc,
/// resetting the node through its power control). No test touches a real watchdog device.
/// </summary>
[Collection("lab")]
public sealed class WatchdogTests
{
    private const string Timeout3s = "{watchdog_timeout: 3s}";

    private static async Task<(int Code, string Output)> RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, await stdout + stderr);
    }

    /// <summary>Sends <paramref name="signal"/> to palisaded inside <paramref name="node"/> only (nodes share the pid namespace).</summary>
    private static async Task SignalDaemonAsync(string node, string signal)
    {
        var pid = Assert.Single(await NodeProcesses.InNodeAsync(node, "palisaded"));
        Assert.Equal(0, (await RunAsync("kill", $"-{signal}", pid.ToString(CultureInfo.InvariantCulture))).Code);
    }

    private static async Task<LedgerEntry> WaitLedgerAsync(ClusterLab c, Func<LedgerEntry, bool> match, string what, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            if (c.LedgerEntries.FirstOrDefault(match) is { } entry)
            {
                return entry;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"timed out waiting for {what}; ledger:\n{string.Join("\n", c.LedgerEntries)}");
    }

    private static async Task WaitWatchdogLogAsync(ClusterLab c, string node, Func<string, bool> condition, string what)
    {
        var path = Path.Combine(c.Lab.StatePath, "nodes", node, "watchdog.log");
        var deadline = DateTime.UtcNow + ClusterLab.Limit;
        while (!File.Exists(path) || !condition(await File.ReadAllTextAsync(path)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}; {path}:\n{(File.Exists(path) ? await File.ReadAllTextAsync(path) : "(none)")}");
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task AFrozenPalisadedStopsFeedingItsWatchdogAndTheNodeIsResetThroughItsPowerControl()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("wdog", Same(3, i => [Ipmi(i)]), shutdown: Timeout3s, watchdog: true));
        Assert.Contains("watchdog /var/lib/palisade/watchdog opened (timeout 3 s)", c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.Contains("n1: watchdog armed", await File.ReadAllTextAsync(Path.Combine(c.Lab.StatePath, "nodes", "n1", "watchdog.log")), StringComparison.Ordinal);

        var frozen = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await SignalDaemonAsync("n1", "STOP");

        var reset = await WaitLedgerAsync(c, e => e is { Node: "n1", Action: "watchdog-reset" }, "n1 reset by its watchdog", TimeSpan.FromSeconds(30));
        var powerOff = await WaitLedgerAsync(c, e => e is { Node: "n1", Action: "power-off" } && e.UnixMs >= reset.UnixMs, "n1 powered off by the reset", TimeSpan.FromSeconds(30));
        // Fed every 1 to 1.25 s (a third of the timeout, on the 250 ms host tick); the last feed came at most 1.25 s before the freeze, and 3 s unfed fire it (checked every 100 ms).
        Assert.InRange(reset.UnixMs - frozen, 1500, 4500);
        Assert.InRange(powerOff.UnixMs - reset.UnixMs, 0, 5000);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "watchdog-reset" && e.Node != "n1");
        // The reset killed everything on n1. web runs again exactly once: on n2 or n3 once n1 is fenced, or on n1 itself
        // when its new palisaded reports back (a fresh instance running nothing) before the fence is needed.
        var restarted = await WaitLedgerAsync(c, e => e is { Action: "start", Service: not null } && e.UnixMs > powerOff.UnixMs, "web started again after the reset", TimeSpan.FromSeconds(60));
        await c.WaitAsync(restarted.Node, s => ClusterProbe.GroupOnline(s, ClusterLab.Group, restarted.Node), $"web Online on {restarted.Node}");
        c.AssertNoDoubleActivation();
        var running = Ledger.Activities(c.LedgerEntries).Where(a => a.ToMs is null).Select(a => a.Node).ToList();
        Assert.Equal([restarted.Node], running);
    }

    [Fact]
    public async Task PingAloneCannotFenceSoTheNodeThatYieldsACutResetsItselfAndTheServiceStaysOnTheOther()
    {
        var file = Path.Combine(Path.GetTempPath(), $"palisade-wd-{Guid.NewGuid():N}.yaml");
        try
        {
            await File.WriteAllTextAsync(file, Cluster("pair", Same(2, _ => [Icmp])));
            var refused = await RunAsync("/usr/local/bin/palisade", "config", "validate", file);
            Assert.NotEqual(0, refused.Code);
            Assert.Contains($"{file}:11:7: nodes[0].shutdown_agents: every agent of n1's chain (icmp) only confirms a node is down", refused.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }

        await using var c = await ClusterLab.UpYamlAsync(Cluster("pair", Same(2, _ => [Icmp]), shutdown: Timeout3s, watchdog: true));
        await c.Lab.SetBmcAsync("n1", up: false, c.Ct);
        await c.Lab.SetBmcAsync("n2", up: false, c.Ct);

        await c.Lab.CutAsync("n2", allLinks: false, c.Ct);

        // Both halves keep quorum (two_node); from the state both held, n1 wins the tie and n2 yields: it stops feeding
        // its watchdog, fences nobody, and is reset.
        var reset = await WaitLedgerAsync(c, e => e is { Node: "n2", Action: "watchdog-reset" }, "n2 reset by its watchdog", TimeSpan.FromSeconds(60));
        await WaitLedgerAsync(c, e => e is { Node: "n2", Action: "power-on" } && e.UnixMs >= reset.UnixMs, "n2 powered on again by the reset", TimeSpan.FromSeconds(30));
        await WaitWatchdogLogAsync(c, "n2", log => log.Split('\n').Count(l => l.Contains("n2: watchdog armed", StringComparison.Ordinal)) >= 2,
            "n2's palisaded back after the reset, its watchdog armed again");
        await c.WaitAsync("n1", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web still Online on n1");

        var n2Log = c.NodeLog("n2");
        Assert.Contains("STOPPED FEEDING: this node yields the two-node split: this partition [n2] weighs 1 (nodes 1) of 2", n2Log, StringComparison.Ordinal);
        Assert.DoesNotContain("decision: fence", n2Log, StringComparison.Ordinal);
        Assert.DoesNotContain(c.LedgerEntries, e => e is { Node: "n1", Action: "watchdog-reset" or "power-off" });
        c.AssertNoDoubleActivation();
        var running = Ledger.Activities(c.LedgerEntries).Where(a => a.ToMs is null).Select(a => a.Node).ToList();
        Assert.Equal(["n1"], running);
    }
}
