using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Monitors;

/// <summary>
/// An exec resource without a monitor command, in a group that does not start on its own (the `reports` group of
/// docs/configuration.md). It runs on a node only where palisaded started it, so every node reports it stopped.
/// </summary>
[Collection("lab")]
public sealed class UnmonitoredResourceTests
{
    private const string Reports = """
          - name: reports
            nodes: [n3, n1]
            auto_start: false
            resources:
              - name: job
                type: exec
                start: touch /var/lib/palisade/reports-job
                stop: rm -f /var/lib/palisade/reports-job

        """;

    [Fact]
    public async Task TwentyFormationsPowerNoNodeOffAndTheGroupStartsOnRequestWhereItBelongs()
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        await using var c = await ClusterLab.UpYamlAsync(demo.TrimEnd() + "\n" + Reports);

        for (var formation = 1; formation <= 20; formation++)
        {
            await c.StopAllDaemonsAsync();
            await c.StartAllDaemonsAsync();
            await c.WaitAsync("n1", s => s.Phase == "Synced" && s.Nodes.All(n => n.State == "Online") && s.Waiting.Count == 0
                && ClusterProbe.GroupOnline(s, ClusterLab.Group) && ClusterProbe.Group(s, "reports") is { State: "Offline" },
                $"formation {formation}: every node Online, web Online, reports Offline");
        }

        Assert.DoesNotContain(c.LedgerEntries, e => e.Action is "power-off" or "panic");
        var start = await c.CliAsync("n2", "group", "start", "reports");
        Assert.True(start.ExitCode == 0, start.Stderr);
        await c.WaitAsync("n1", s => ClusterProbe.GroupOnline(s, "reports", "n3"), "reports Online on n3, its first node");
        Assert.True(File.Exists(Path.Combine(c.Lab.StatePath, "nodes", "n3", "lib-palisade", "reports-job")));
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action is "power-off" or "panic");
    }
}
