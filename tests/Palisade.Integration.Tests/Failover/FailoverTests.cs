using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Failover;

/// <summary>
/// A real 3-node Palisade cluster in the lab: corosync, palisaded, IPMI BMCs, the IPaddr2 OCF agent and the demo
/// service. Every test audits the service ledger: the service never runs on two nodes at once.
/// </summary>
[Collection("lab")]
public sealed class FailoverTests
{
    [Fact]
    public async Task ThreeNodesComeUpQuorateWithTheGroupOnItsFirstNode()
    {
        await using var c = await ClusterLab.UpAsync();
        foreach (var node in c.Nodes)
        {
            var s = await c.WaitAsync(node, s => s.Nodes.All(n => n.State == "Online"), $"all nodes Online seen from {node}");
            Assert.True(s.Quorate);
            Assert.Equal(node, Assert.Single(s.Nodes, n => n.Local).Name);
            Assert.Equal("n1", s.Coordinator);
            var web = ClusterProbe.Group(s, ClusterLab.Group)!;
            Assert.Equal(("Online", "n1"), (web.State, web.Node));
            Assert.All(web.Resources, r => Assert.Equal("Started", r.State));
        }

        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task PoweringOffTheOwnerFencesItAndRecoversTheGroupOnTheNextNode()
    {
        await using var c = await ClusterLab.UpAsync();
        var phases = await new FailoverScenario(c.Lab, c.Probe).PowerOffOwnerAsync(ClusterLab.Group, c.Nodes, null, c.Ct);

        Assert.Equal(("n1", "n2"), (phases.Lost, phases.NewOwner));
        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"), "n1 Fenced, web Online on n2");
        Assert.Contains("fenced by n2 with 1:ipmi", ClusterProbe.Node(s, "n1")!.Reason, StringComparison.Ordinal);
        Assert.Equal("off", await c.Lab.PowerAsync("n1", "status", c.Ct));
        Assert.True(phases.Detection > 0 && phases.EndToEnd > phases.Detection, $"phases: {phases}");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task KillingPalisadedOnTheOwnerFencesTheNodeBeforeTheGroupMoves()
    {
        await using var c = await ClusterLab.UpAsync();
        await c.KillInNodeAsync("n1", "palisaded");

        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2");
        Assert.Equal("Fenced", ClusterProbe.Node(s, "n1")!.State);
        Assert.Equal("off", await c.Lab.PowerAsync("n1", "status", c.Ct));
        Assert.Contains("palisaded died while corosync runs", c.NodeLog("n2"), StringComparison.Ordinal);
        var fenced = c.FirstIndex(e => e is { Node: "n1", Action: "power-off" });
        var started = c.FirstIndex(e => e is { Node: "n2", Action: "start" });
        Assert.True(fenced >= 0 && started > fenced, "n1 must be powered off before the service starts on n2");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task CuttingTheOwnersInterconnectFencesItAndItRejoinsAsStandbyAfterHealing()
    {
        await using var c = await ClusterLab.UpAsync();
        await c.Lab.CutAsync("n1", allLinks: false, c.Ct);

        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"), "web Online on n2 after fencing n1");
        Assert.Equal("off", await c.Lab.PowerAsync("n1", "status", c.Ct));
        var log = c.NodeLog("n1");
        Assert.Contains("quorum LOST: stopping every group on this node", log, StringComparison.Ordinal);
        var stopped = c.FirstIndex(e => e is { Node: "n1", Action: "stop" });
        var fenced = c.FirstIndex(e => e is { Node: "n1", Action: "power-off" });
        Assert.True(stopped >= 0 && fenced > stopped, "the isolated owner stops its service on losing quorum, before it is fenced:\n" + string.Join("\n", c.LedgerEntries));
        Assert.DoesNotContain("decision: fence", log, StringComparison.Ordinal);

        await c.Lab.HealAsync("n1", c.Ct);
        await c.Lab.PowerAsync("n1", "on", c.Ct);
        // Before it merges, the rebooted node may briefly hold a state of its own (alone, without quorum).
        var back = await c.WaitAsync("n1", s => s.Quorate && s.Nodes.All(n => n.State == "Online"), "n1 rejoined with the cluster state");
        Assert.Equal(("Online", "n2"), (ClusterProbe.Group(back, ClusterLab.Group)!.State, ClusterProbe.Group(back, ClusterLab.Group)!.Node));
        var fromN2 = await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, "n1", "Online"), "n2 sees n1 Online");
        Assert.Equal("n2", ClusterProbe.Group(fromN2, ClusterLab.Group)!.Node);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task MovingTheGroupIsCleanAndFencesNothing()
    {
        await using var c = await ClusterLab.UpAsync();
        var r = await c.Lab.ExecCaptureAsync("n2", ["/usr/local/bin/palisade", "group", "move", ClusterLab.Group, "--to", "n3"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("move of web to n3 requested", r.Stdout.Trim());

        var s = await c.WaitAsync("n1", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n3"), "web Online on n3");
        Assert.All(s.Nodes, n => Assert.Equal("Online", n.State));
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action == "power-off");
        var stopped = c.FirstIndex(e => e is { Node: "n1", Action: "stop" });
        var started = c.FirstIndex(e => e is { Node: "n3", Action: "start" });
        Assert.True(stopped >= 0 && started > stopped, "the service stops on n1 before it starts on n3");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task AFailingStopEscalatesToFencing()
    {
        await using var c = await ClusterLab.UpAsync();
        File.WriteAllText(Path.Combine(c.Lab.StatePath, "nodes", "n1", "lib-palisade", "hello.fail-stop"), "test hook\n");
        var r = await c.Lab.ExecCaptureAsync("n1", ["/usr/local/bin/palisade", "group", "move", ClusterLab.Group, "--to", "n2"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.True(r.ExitCode == 0, r.Stderr);

        var s = await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2 after fencing n1");
        Assert.Equal("Fenced", ClusterProbe.Node(s, "n1")!.State);
        Assert.Equal("off", await c.Lab.PowerAsync("n1", "status", c.Ct));
        Assert.Contains("stop of group web failed", c.NodeLog("n3"), StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }
}
