using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;
using static Palisade.Integration.Tests.Shutdown.ShutdownConfigs;

namespace Palisade.Integration.Tests.Shutdown;

/// <summary>
/// Interconnect splits on a real lab. In a two_node cluster both halves keep quorum and partition resolution decides;
/// elsewhere only a quorate partition fences. Every test audits the ledger: no double activation, and never both
/// sides powered off.
/// </summary>
[Collection("lab")]
public sealed class PartitionTests
{
    private static async Task<int> PowerOffs(ClusterLab c, string node) =>
        await Task.FromResult(c.LedgerEntries.Count(e => e is { Action: "power-off" } && e.Node == node));

    private static async Task MoveAsync(ClusterLab c, string to)
    {
        var move = await c.CliAsync("n1", "group", "move", ClusterLab.Group, "--to", to);
        Assert.True(move.ExitCode == 0, move.Stderr);
        await c.WaitAsync("n1", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, to), $"web moved to {to}");
    }

    /// <summary>Cuts <paramref name="cut"/>'s interconnect and waits until <paramref name="loser"/> is fenced and web runs on a survivor.</summary>
    private static async Task SplitAndWaitAsync(ClusterLab c, string cut, string survivor, string loser, string round)
    {
        await c.Lab.CutAsync(cut, allLinks: false, c.Ct);
        await c.WaitAsync(survivor, s => ClusterLab.NodeIs(s, loser, "Fenced") && ClusterProbe.GroupOnline(s, ClusterLab.Group, survivor),
            $"{round}: {loser} fenced and web Online on {survivor}");
        Assert.Equal(("on", "off"), (await c.Lab.PowerAsync(survivor, "status", c.Ct), await c.Lab.PowerAsync(loser, "status", c.Ct)));
    }

    private static async Task RestoreAsync(ClusterLab c, string cut, string loser, string round)
    {
        await c.Lab.HealAsync(cut, c.Ct);
        await c.Lab.PowerAsync(loser, "on", c.Ct);
        await c.WaitAsync("n1", s => s.Quorate && s.Nodes.All(n => n.State == "Online"), $"{round}: {loser} back");
    }

    [Fact]
    public async Task TwoNodesWithUnequalWeightsTheHeavierSurvivesTwentyCuts()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("pair", Same(2, i => [Ipmi(i)]), weights: [3, 1]));

        for (var round = 1; round <= 20; round++)
        {
            // Whose link goes down does not matter: the weights decide.
            var cut = round % 2 == 0 ? "n1" : "n2";
            await SplitAndWaitAsync(c, cut, survivor: "n1", loser: "n2", $"round {round}");
            await RestoreAsync(c, cut, "n2", $"round {round}");
        }

        Assert.Equal((0, 20), (await PowerOffs(c, "n1"), await PowerOffs(c, "n2")));
        Assert.Contains("partition resolution: this partition [n1] weighs 3 (nodes 3) of 4; [n2] weighs 1 (nodes 1); heaviest", c.NodeLog("n1"), StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task TheShutdownPriorityOfAnOnlineGroupMovesTheOutcomeWithTheGroup()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("prio", Same(2, i => [Ipmi(i)]), priority: 5));

        await SplitAndWaitAsync(c, "n2", survivor: "n1", loser: "n2", "web on n1");
        await RestoreAsync(c, "n2", "n2", "web on n1");

        await MoveAsync(c, "n2");
        await SplitAndWaitAsync(c, "n2", survivor: "n2", loser: "n1", "web on n2");
        Assert.Contains("partition resolution: this partition [n2] weighs 6 (nodes 1 + web 5) of 7", c.NodeLog("n2"), StringComparison.Ordinal);
        // n2 is heaviest only through web (a figure from the replicated state), so it gives n1, first by node weights,
        // a quarter of partition_delay: had the two sides' states differed at the cut, n1 would fence first.
        Assert.Contains("heaviest through its groups, [n1] by node weights: waiting", c.NodeLog("n2"), StringComparison.Ordinal);
        Assert.Equal((1, 1), (await PowerOffs(c, "n1"), await PowerOffs(c, "n2")));
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task WithEqualWeightsThePartitionWithTheAlphabeticallyFirstNodeSurvives()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("tie", Same(2, i => [Ipmi(i)])));
        await MoveAsync(c, "n2");

        await SplitAndWaitAsync(c, "n1", survivor: "n1", loser: "n2", "tie");

        Assert.Contains("heaviest (tie won by the first node name)", c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.Equal((0, 1), (await PowerOffs(c, "n1"), await PowerOffs(c, "n2")));
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task FourNodesSplitTwoAndTwoTheHalfWithTheFirstNodeKeepsQuorumAndFencesTheOther()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("quad", Same(4, i => [Ipmi(i)])));
        await MoveAsync(c, "n3");

        await c.Lab.SplitAsync(["n3", "n4"], c.Ct);
        await c.WaitAsync("n1", s => ClusterLab.NodeIs(s, "n3", "Fenced") && ClusterLab.NodeIs(s, "n4", "Fenced")
            && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "n3 and n4 fenced, web Online on n1");

        Assert.Equal(["on", "on", "off", "off"], await Task.WhenAll(c.Nodes.Select(n => c.Lab.PowerAsync(n, "status", c.Ct))));
        foreach (var node in new[] { "n3", "n4" })
        {
            var log = c.NodeLog(node);
            Assert.Contains("quorum LOST", log, StringComparison.Ordinal);
            Assert.DoesNotContain("decision: fence", log, StringComparison.Ordinal);
        }

        // n3 begins to stop web the moment it loses quorum; the other half fences it at once, so whether the stop
        // finishes before the power-off is a race: only its start is certain.
        Assert.Contains("group web: stop on this node (this node lost quorum)", c.NodeLog("n3"), StringComparison.Ordinal);
        Assert.True(c.FirstIndex(e => e is { Node: "n3", Action: "power-off" }) >= 0, "n3 powered off");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task ThreeNodesSplitTwoAndOneTheSingleNodeNeverFences()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("trio", Same(3, i => [Ipmi(i)])));
        await MoveAsync(c, "n3");

        await SplitAndWaitAsync(c, "n3", survivor: "n1", loser: "n3", "2+1");

        var log = c.NodeLog("n3");
        Assert.Contains("quorum LOST", log, StringComparison.Ordinal);
        Assert.DoesNotContain("decision: fence", log, StringComparison.Ordinal);
        Assert.Equal((0, 0, 1), (await PowerOffs(c, "n1"), await PowerOffs(c, "n2"), await PowerOffs(c, "n3")));
        c.AssertNoDoubleActivation();
    }
}
