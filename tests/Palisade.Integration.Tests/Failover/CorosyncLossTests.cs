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
        await c.KillInNodeAsync("n1", "corosync");

        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2");
        Assert.Equal("Fenced", ClusterProbe.Node(s, "n1")!.State);
        var log = c.NodeLog("n1");
        Assert.Contains("local corosync lost", log, StringComparison.Ordinal);
        Assert.Contains("palisaded exiting with code 3", log, StringComparison.Ordinal);
        // The local stop takes milliseconds; the peers need a token timeout to notice: n1 stops first.
        var stopped = c.FirstIndex(e => e is { Node: "n1", Action: "stop" });
        var fenced = c.FirstIndex(e => e is { Node: "n1", Action: "power-off" });
        var started = c.FirstIndex(e => e is { Node: "n2", Action: "start" });
        Assert.True(stopped >= 0 && fenced > stopped && started > fenced, "ledger:\n" + string.Join("\n", c.LedgerEntries));
        c.AssertNoDoubleActivation();
    }
}
