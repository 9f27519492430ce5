using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Failover;

[Collection("lab")]
public sealed class ProbeTests
{
    [Fact]
    public async Task AfterEveryPalisadedRestartsTheGroupIsFoundWhereItRunsAndNotStartedElsewhere()
    {
        await using var c = await ClusterLab.UpAsync();
        // Away from its first node: a new state that forgot where it runs would start it on n1, a second time.
        var move = await c.Lab.ExecCaptureAsync("n1", ["/usr/local/bin/palisade", "group", "move", ClusterLab.Group, "--to", "n2"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.True(move.ExitCode == 0, move.Stderr);
        await c.WaitAsync("n1", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2");
        await c.KillAllDaemonsAsync();
        await c.StartAllDaemonsAsync();

        var s = await c.WaitAsync("n2", s => s.Phase == "Synced" && s.Nodes.All(n => n.State == "Online") && ClusterProbe.GroupOnline(s, ClusterLab.Group), "a new cluster state with web Online");
        var web = ClusterProbe.Group(s, ClusterLab.Group)!;
        Assert.Equal(("n2", "found running on n2 when it joined"), (web.Node, web.Reason));
        Assert.Equal(["n1", "n2"], c.LedgerEntries.Where(e => e.Action == "start").Select(e => e.Node));
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "power-off");

        // The adopted group is watched by its new palisaded: its service killed there is restarted in place.
        var kill = await c.Lab.ExecCaptureAsync("n2", ["/bin/sh", "-c", "kill -9 $(cat /run/palisade-hello.pid) && rm -f /run/palisade-hello.pid"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.True(kill.ExitCode == 0, kill.Stderr);
        await File.AppendAllTextAsync(c.Lab.LedgerPath, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} n2 stop hello\n");
        await c.WaitAsync("n1", s => s.Monitors.FirstOrDefault(m => m.Name == "web/hello") is { Counters.Restarts: 1 } && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"),
            "the adopted web restarted in place on n2 after its service was killed", TimeSpan.FromSeconds(60));
        Assert.Equal(["n1", "n2", "n2"], c.LedgerEntries.Where(e => e.Action == "start").Select(e => e.Node));
        c.AssertNoDoubleActivation();
    }
}
