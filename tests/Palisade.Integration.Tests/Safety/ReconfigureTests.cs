using System.Text.RegularExpressions;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;
using static Palisade.Integration.Tests.Shutdown.ShutdownConfigs;

namespace Palisade.Integration.Tests.Safety;

/// <summary><c>palisade sd -r</c> changes what partition resolution weighs, not only the shutdown daemon's copy.</summary>
[Collection("lab")]
public sealed partial class ReconfigureTests
{
    [GeneratedRegex(@"(name: n2\n(?:.*\n)*?\s*weight:) 1\n")]
    private static partial Regex N2Weight();

    [Fact]
    public async Task NewWeightsFromSdReconfigureDecideTheNextTwoNodeSplit()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("reweigh", Same(2, i => [Ipmi(i)])));
        foreach (var node in c.Nodes)
        {
            var dir = Path.Combine(c.Lab.StatePath, "nodes", node, "etc-palisade");
            var yaml = await File.ReadAllTextAsync(Path.Combine(dir, "palisade.yaml"));
            var heavier = N2Weight().Replace(yaml, "$1 3\n", 1);
            Assert.NotEqual(yaml, heavier);
            await File.WriteAllTextAsync(Path.Combine(dir, "heavier.yaml"), heavier);
            var r = await c.CliAsync(node, "sd", "-r", "/etc/palisade/heavier.yaml");
            Assert.True(r.ExitCode == 0, r.Stdout + r.Stderr);
        }

        // Equal weights would keep n1 (the alphabetically first); now n2 weighs 3 against 1.
        await c.Lab.CutAsync("n1", allLinks: false, c.Ct);
        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, "n1", "Fenced") && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "n1 fenced and web Online on n2");
        Assert.Contains("partition resolution: this partition [n2] weighs 3 (nodes 3) of 4; [n1] weighs 1 (nodes 1); heaviest", c.NodeLog("n2"), StringComparison.Ordinal);
        Assert.DoesNotContain(c.LedgerEntries, e => e is { Action: "power-off", Node: "n2" });
        c.AssertNoDoubleActivation();
    }
}
