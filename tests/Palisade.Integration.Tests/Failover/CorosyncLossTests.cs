using System.Diagnostics;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Failover;

[Collection("lab")]
public sealed class CorosyncLossTests
{
    [Fact]
    public async Task WhenTheLocalCorosyncDiesPalisadedStopsEverythingAndExitsAndThePeersFenceTheNode()
    {
        await using var c = await ClusterLab.UpAsync();
        // With n1's BMC unreachable the peers cannot fence n1 yet, so palisaded's own stop and exit are seen whole
        // instead of racing the power-off.
        await c.Lab.SetBmcAsync("n1", up: false, c.Ct);
        using var daemon = Process.GetProcessById(await c.PidInNodeAsync("n1", "palisaded"));
        await c.KillInNodeAsync("n1", "corosync");
        using (var limit = new CancellationTokenSource(ClusterLab.Limit))
        {
            await daemon.WaitForExitAsync(limit.Token);
        }

        var log = c.NodeLog("n1");
        Assert.Contains("local corosync lost", log, StringComparison.Ordinal);
        Assert.Contains("palisaded exiting with code 3", log, StringComparison.Ordinal);
        var stopped = c.FirstIndex(e => e is { Node: "n1", Action: "stop" });
        Assert.True(stopped >= 0, "n1's palisaded exited without stopping the service; ledger:\n" + string.Join("\n", c.LedgerEntries));
        var waiting = await c.WaitAsync("n2", s => ClusterProbe.Node(s, "n1")?.State is not (null or "Online"), "n2 sees n1 lost");
        Assert.NotEqual("Fenced", ClusterProbe.Node(waiting, "n1")!.State);
        Assert.False(ClusterProbe.GroupOnline(waiting, ClusterLab.Group, "n2"), "web started on n2 before n1 was fenced");

        await c.Lab.SetBmcAsync("n1", up: true, c.Ct);
        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2");
        Assert.Equal("Fenced", ClusterProbe.Node(s, "n1")!.State);
        var fenced = c.FirstIndex(e => e is { Node: "n1", Action: "power-off" });
        var started = c.FirstIndex(e => e is { Node: "n2", Action: "start" });
        Assert.True(fenced > stopped && started > fenced, "ledger:\n" + string.Join("\n", c.LedgerEntries));
        c.AssertNoDoubleActivation();
    }
}
