using System.Diagnostics;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Palisade.Integration.Tests.External;

/// <summary>
/// The event path in the installed palisaded: a message that a node is down is checked at once by the node that
/// received it, through the target's own BMC (power read back, never switched). Confirmed, it stands for the fence: the
/// group recovers as soon as the ring has re-formed, with no fence of its own. A report about a running node changes
/// nothing.
/// </summary>
[Collection("lab")]
public sealed class EventPathTests(ITestOutputHelper output)
{
    [Fact]
    public async Task APowerOffReportedByTheManagementLayerIsConfirmedThroughTheBmcAndStandsForTheFence()
    {
        await using var c = await ClusterLab.UpAsync();

        // A report about a node that runs: the check reads its power on, and nothing changes.
        var spurious = await c.CliAsync("n2", "notify", "--category", "NODE", "--keyword", "power-off", "--node", "n3", "--source", "a confused BMC", "--id", "spurious-1");
        Assert.True(spurious.ExitCode == 0, spurious.Stderr);
        await c.WaitAsync("n2", _ => c.NodeLog("n2").Contains("node n3: reported down, not confirmed by n2 (1:ipmi): power is on", StringComparison.Ordinal),
            "the report about n3 checked and dropped");
        var calm = await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web still on n1");
        Assert.True(ClusterLab.NodeIs(calm, "n3", "Online"));
        await c.Lab.ExecCaptureAsync("n3", ["true"], TimeSpan.FromSeconds(10), c.Ct); // n3 was never touched: it still runs commands

        // n1 loses its power; its BMC's report reaches n2's intake at once.
        var clock = Stopwatch.StartNew();
        await c.Lab.PowerAsync("n1", "off", c.Ct);
        var powerOff = clock.ElapsedMilliseconds;
        var report = await c.CliAsync("n2", "notify", "--category", "NODE", "--keyword", "power-off", "--node", "n1", "--source", "BMC of n1", "--id", "power-1");
        Assert.True(report.ExitCode == 0, report.Stderr);
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2");
        output.WriteLine($"power-off took {powerOff} ms; power-off done -> web Online on n2 after {clock.ElapsedMilliseconds - powerOff} ms (seen by polling status)");

        // Checked while the ring stalled on n1's loss; delivered as the ring re-formed, it stood for the fence.
        var log = c.NodeLog("n2");
        Assert.Contains("down check of n1: confirmed by 1:ipmi", log, StringComparison.Ordinal);
        var confirmedAt = log.IndexOf("n1 fenced by n2 (1:ipmi): confirmed down through its own agent: power read back off", StringComparison.Ordinal);
        Assert.True(confirmedAt >= 0, "no confirmation through the event path in n2's log");
        Assert.DoesNotContain("fencing n1 with agent", log, StringComparison.Ordinal); // no power-off was sent
        Assert.True(ClusterLab.NodeIs(moved, "n1", "Fenced"));

        var history = Shutdown.ShutdownConfigs.History((await c.CliAsync("n2", "sd", "--history", "n1", "--output", "json")).Stdout);
        Assert.Contains(history, r => r.Action == "confirm" && r.Agent == "1:ipmi" && r.Result == Palisade.Core.Shutdown.FenceResult.ConfirmedByEvent);
        Assert.DoesNotContain(history, r => r.Action == "off");

        // n1 comes back cleanly when powered on; it was never fenced by a power-off.
        await c.Lab.PowerAsync("n1", "on", c.Ct);
        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, "n1", "Online"), "n1 back Online");
        Assert.DoesNotContain("fencing n1 with agent", c.NodeLog("n2"), StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }
}
