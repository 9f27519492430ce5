using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Failover;

/// <summary>
/// <c>palisade maintenance on|off</c> in the installed palisaded: palisaded stops and starts again on the node running
/// the group while the service keeps running untouched and nobody fences it; one still away when maintenance ends is
/// fenced before its group starts elsewhere.
/// </summary>
[Collection("lab")]
public sealed class MaintenanceTests
{
    private static readonly TimeSpan Exec = TimeSpan.FromSeconds(20);

    private static async Task<bool> HelloRunsAsync(ClusterLab c, string node) =>
        (await c.Lab.ExecCaptureAsync(node, ["sh", "-c", "kill -0 $(cat /run/palisade-hello.pid)"], Exec, c.Ct)).ExitCode == 0;

    [Fact]
    public async Task PalisadedRestartsUnderARunningGroupDuringMaintenanceAndANodeStillAwayAfterwardsIsFenced()
    {
        await using var c = await ClusterLab.UpAsync();
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online on n1");

        var on = await c.CliAsync("n3", "maintenance", "on");
        Assert.True(on.ExitCode == 0, on.Stderr);
        await c.WaitAsync("n1", s => s.Maintenance, "maintenance on");
        Assert.Contains("MAINTENANCE (set by operator on n3)", (await c.CliAsync("n2", "status")).Stdout, StringComparison.Ordinal);
        var move = await c.CliAsync("n2", "group", "move", ClusterLab.Group, "--to", "n2");
        Assert.NotEqual(0, move.ExitCode);
        Assert.Contains("the cluster is in maintenance", move.Stderr, StringComparison.Ordinal);

        // palisaded on n1 stops (an upgrade) and starts again: web keeps running, nobody fences n1.
        await c.StopDaemonAsync("n1");
        var away = await c.WaitAsync("n2", s => ClusterProbe.Node(s, "n1") is { State: "Unclean", Member: false }, "n1 away, Unclean");
        Assert.Contains("during maintenance", ClusterProbe.Node(away, "n1")!.Reason, StringComparison.Ordinal);
        Assert.True(ClusterProbe.GroupOnline(away, ClusterLab.Group, "n1"));
        Assert.True(await HelloRunsAsync(c, "n1"), "hello stopped on n1 although maintenance keeps it running");
        await c.StartDaemonAsync("n1");
        await c.WaitAsync("n2", s => ClusterProbe.Node(s, "n1") is { State: "Online", Member: true } && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"),
            "n1 back Online with web still Online there");
        Assert.True(await HelloRunsAsync(c, "n1"));
        Assert.Contains("node n1 is back during maintenance", c.NodeLog("n2"), StringComparison.Ordinal);
        var off = await c.CliAsync("n3", "maintenance", "off");
        Assert.True(off.ExitCode == 0, off.Stderr);
        await c.WaitAsync("n1", s => !s.Maintenance && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "maintenance off, web still on n1");
        Assert.Single(c.LedgerEntries, e => e.Action == "start" && e.Service == "hello");
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action is "stop" or "power-off");

        // Again, but maintenance ends while n1's palisaded is away: n1 may run anything, so it is fenced first.
        on = await c.CliAsync("n3", "maintenance", "on");
        Assert.True(on.ExitCode == 0, on.Stderr);
        await c.WaitAsync("n1", s => s.Maintenance, "maintenance on again");
        await c.StopDaemonAsync("n1");
        await c.WaitAsync("n2", s => ClusterProbe.Node(s, "n1") is { State: "Unclean", Member: false }, "n1 away again");
        off = await c.CliAsync("n3", "maintenance", "off");
        Assert.True(off.ExitCode == 0, off.Stderr);
        Assert.Contains("n1 left during maintenance and is not back", off.Stdout, StringComparison.Ordinal);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web started on n2 after n1 was fenced");
        var fenced = c.FirstIndex(e => e.Action == "power-off" && e.Node == "n1");
        var started = c.FirstIndex(e => e.Action == "start" && e.Node == "n2");
        Assert.True(fenced >= 0 && started > fenced, "n1 is powered off before web starts on n2; ledger:\n" + string.Join("\n", c.LedgerEntries));
        c.AssertNoDoubleActivation();
    }
}
