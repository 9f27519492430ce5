using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Safety;

/// <summary>Schedules that once broke the promise "no group on two nodes, and nothing stuck", on the real daemon.</summary>
[Collection("lab")]
public sealed class SafetyRegressionTests
{
    private static readonly TimeSpan JoinWindowAndMore = TimeSpan.FromSeconds(75);

    /// <summary>
    /// The owner's and a third node's palisaded die (their corosync and the owner's service live on) while their BMCs
    /// do not answer; the last palisaded's node is power-cycled and comes back alone. When its join window ends it
    /// must wait for both to be fenced before starting the group, which ran on two nodes here before.
    /// </summary>
    [Fact]
    public async Task ANodeBackAloneStartsNothingBeforeTheNodesItNeverSawAreFenced()
    {
        await using var c = await ClusterLab.UpAsync();
        await c.Lab.SetBmcAsync("n1", up: false, c.Ct);
        await c.Lab.SetBmcAsync("n3", up: false, c.Ct);
        await c.KillInNodeAsync("n3", "palisaded");
        await c.KillInNodeAsync("n1", "palisaded");
        await c.WaitAsync("n2", s => ClusterProbe.Node(s, "n1")?.State is "Unclean" or "Fencing", "n1 lost to n2");

        Assert.Equal("off", await c.Lab.PowerAsync("n2", "off", c.Ct));
        await c.Lab.PowerAsync("n2", "on", c.Ct);

        var waiting = await c.WaitAsync("n2",
            s => s.Waiting.Any(w => w.StartsWith("group web: waiting for n1, n3 to be fenced or to report", StringComparison.Ordinal)),
            "n2, back alone, to hold web until n1 and n3 are fenced", JoinWindowAndMore);
        Assert.True(waiting.Quorate);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "start" && e.Node == "n2");

        // The BMCs answer again: n2 fences both and is left alone without quorum (corosync's wait_for_all then wants
        // every node back) until they boot again.
        await c.Lab.SetBmcAsync("n1", up: true, c.Ct);
        await c.Lab.SetBmcAsync("n3", up: true, c.Ct);
        await c.WaitAsync("n2", s => ClusterProbe.Node(s, "n1")?.State == "Fenced" && ClusterProbe.Node(s, "n3")?.State == "Fenced", "n1 and n3 fenced", TimeSpan.FromSeconds(90));
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "start" && e.Node == "n2");
        await c.Lab.PowerAsync("n1", "on", c.Ct);
        await c.Lab.PowerAsync("n3", "on", c.Ct);
        await c.WaitAsync("n2", s => s.Quorate && ClusterProbe.GroupOnline(s, ClusterLab.Group), "web Online again", TimeSpan.FromSeconds(90));
        c.AssertNoDoubleActivation();
    }

    /// <summary>A node whose palisaded died and came back as a new process running nothing is taken back without a fence.</summary>
    [Fact]
    public async Task APalisadedThatRestartsCleanlyIsTakenBackWithoutAFence()
    {
        await using var c = await ClusterLab.UpAsync();
        await c.Lab.SetBmcAsync("n3", up: false, c.Ct);
        await c.KillInNodeAsync("n3", "palisaded");
        await c.WaitAsync("n1", s => ClusterProbe.Node(s, "n3")?.State is "Unclean" or "Fencing", "n3 lost");

        await c.StartDaemonAsync("n3");

        var s = await c.WaitAsync("n1", s => ClusterProbe.Node(s, "n3") is { State: "Online", Reason: "restarted cleanly after being lost" }, "n3 back Online without a fence", TimeSpan.FromSeconds(90));
        Assert.True(ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"));
        var history = await c.CliAsync("n1", "sd", "--history", "n3");
        Assert.Equal(0, history.ExitCode);
        Assert.Contains("RestartedCleanly", history.Stdout, StringComparison.Ordinal);
        await c.Lab.SetBmcAsync("n3", up: true, c.Ct);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "power-off");
        c.AssertNoDoubleActivation();
    }
}
