using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Failover;

/// <summary>
/// <c>palisade node standby|online</c> in the installed palisaded: the groups move away, the node stays a member,
/// its palisaded can be stopped and started again (a rolling upgrade) without a fence, and the API takes it back.
/// </summary>
[Collection("lab")]
public sealed class StandbyTests
{
    private static readonly TimeSpan Exec = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task AStandbyNodeHandsItsGroupOnKeepsItsMembershipSurvivesAPalisadedRestartAndTheApiBringsItBack()
    {
        await using var c = await ClusterLab.UpAsync();
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online on n1");

        // The dry run says what would happen and changes nothing.
        var dry = await c.CliAsync("n3", "node", "standby", "n1", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        Assert.Contains("stop web on n1: n1 is in standby", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains("start web on n2", dry.Stdout, StringComparison.Ordinal);
        Assert.False(ClusterProbe.Node((await c.Probe.StatusAsync("n1", c.Ct))!, "n1")!.Standby);

        var standby = await c.CliAsync("n3", "node", "standby", "n1");
        Assert.True(standby.ExitCode == 0, standby.Stderr);
        var moved = await c.WaitAsync("n1", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterProbe.Node(s, "n1") is { Standby: true, State: "Online", Member: true },
            "web moved to n2, n1 Online in standby");
        Assert.Equal("operator on n3", ClusterProbe.Node(moved, "n1")!.StandbyBy);
        Assert.Contains("standby (set by operator on n3): no group is placed here", (await c.CliAsync("n2", "status")).Stdout, StringComparison.Ordinal);
        Assert.Contains("node n1: standby requested by operator on n3", c.NodeLog("n2"), StringComparison.Ordinal);
        var refused = await c.CliAsync("n2", "group", "move", ClusterLab.Group, "--to", "n1");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("n1 is in standby", refused.Stderr, StringComparison.Ordinal);

        // A rolling upgrade: palisaded on n1 stops and starts again; nobody fences it, it stays in standby.
        await c.StopDaemonAsync("n1");
        await c.StartDaemonAsync("n1");
        await c.WaitAsync("n2", s => ClusterProbe.Node(s, "n1") is { State: "Online", Member: true, Standby: true } && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"),
            "n1 back, still in standby, web still on n2");

        // Online again through the API (role operate): groups may come back, nothing moves by itself.
        var online = await c.Lab.ExecCaptureAsync("n3", ["sh", "-c",
            "curl -s -X POST -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $(cat /etc/palisade/api.token)\" \"$(cat /etc/palisade/api.url)/api/v1/nodes/n1/online\""], Exec, c.Ct);
        Assert.Equal("202", online.Stdout);
        await c.WaitAsync("n1", s => ClusterProbe.Node(s, "n1") is { Standby: false }, "n1 out of standby");
        var metrics = await c.ApiGetAsync("n1", "/metrics");
        Assert.Contains("palisade_node_standby{node=\"n1\"} 0", metrics, StringComparison.Ordinal);
        var back = await c.CliAsync("n2", "group", "move", ClusterLab.Group, "--to", "n1");
        Assert.True(back.ExitCode == 0, back.Stderr);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web moved back to n1");

        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "power-off");
        Assert.Equal(["n1", "n2", "n1"], c.LedgerEntries.Where(e => e.Action == "start" && e.Service == "hello").Select(e => e.Node));
        c.AssertNoDoubleActivation();
    }
}
