using Palisade.Integration.Tests.Failover;
using Palisade.Integration.Tests.Shutdown;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Monitors;

/// <summary>
/// A failover of the recovery ladder stays in the server group it leaves (a site, a rack); with no node left there it
/// waits for one, and goes as soon as one can take the group.
/// </summary>
[Collection("lab")]
public sealed class ServerGroupTests
{
    [Fact]
    public async Task AFailoverGoesToTheNextNodeOfItsServerGroupAndWaitsThereWhenNoneIsLeft()
    {
        var yaml = ShutdownConfigs.Cluster("sg", ShutdownConfigs.Same(4, i => [ShutdownConfigs.Ipmi(i)]))
            .Replace("nodes: [n1, n2, n3, n4]", "nodes: [n1, n3, n2, n4]", StringComparison.Ordinal)
            .Replace("monitor_interval: 5s", "monitor_interval: 1s\n        recovery: {restart_limit: 0, failover_limit: 2}", StringComparison.Ordinal)
            + "server_groups:\n  - {name: site-a, nodes: [n1, n2]}\n  - {name: site-b, nodes: [n3, n4]}\n";
        await using var c = await ClusterLab.UpYamlAsync(yaml);

        await KillHelloAsync(c, "n1");
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web failed over to n2, in site-a with n1");
        Assert.Contains("failover 1 of 2, to n2 within server group site-a", c.NodeLog("n1"), StringComparison.Ordinal);

        // web has failed on n1 already: the second failover waits for a node of site-a rather than going to site-b.
        await KillHelloAsync(c, "n2");
        const string Waits = "group web: web/hello failed on n2; failover 2 of 2 waits for a healthy node of server group site-a where it has not failed";
        await c.WaitAsync("n1", s => s.Waiting.Contains(Waits), "the coordinator says the failover waits for a node of site-a");
        Assert.DoesNotContain(c.LedgerEntries, e => e.Node is "n3" or "n4" && e.Action == "start");

        // A cleanup frees n1 again: the ladder starts over and the failover goes there.
        var cleanup = await c.CliAsync("n3", "group", "cleanup", ClusterLab.Group);
        Assert.True(cleanup.ExitCode == 0, cleanup.Stderr);
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web failed over back to n1 after the cleanup");
        Assert.DoesNotContain(c.LedgerEntries, e => e.Node is "n3" or "n4" && e.Action == "start");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task AnExternalMonitorWithFailoverOutsideServerGroupFailsOverInsideFirstThenToTheOtherServerGroup()
    {
        var yaml = ShutdownConfigs.Cluster("sgx", ShutdownConfigs.Same(4, i => [ShutdownConfigs.Ipmi(i)]))
            .Replace("nodes: [n1, n2, n3, n4]", "nodes: [n1, n3, n2, n4]", StringComparison.Ordinal)
            + "server_groups:\n  - {name: site-a, nodes: [n1, n2]}\n  - {name: site-b, nodes: [n3, n4]}\n"
            + "monitors:\n  - {name: site, type: external, target: web, category: HA/SS, recovery: {restart_limit: 0, failover_limit: 2, failover_outside_server_group: true}}\n";
        await using var c = await ClusterLab.UpYamlAsync(yaml);
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online on n1");

        var first = await c.CliAsync("n1", "notify", "--category", "HA/SS", "--text", "site-a power feed lost", "--id", "ss-1");
        Assert.True(first.ExitCode == 0, first.Stderr);
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web failed over to n2, inside site-a");
        Assert.Contains("failover 1 of 2, to n2 within server group site-a", c.NodeLog("n3"), StringComparison.Ordinal);

        var second = await c.CliAsync("n2", "notify", "--category", "HA/SS", "--text", "site-a power feed lost", "--id", "ss-2");
        Assert.True(second.ExitCode == 0, second.Stderr);
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n3"), "web failed over to n3, outside site-a");
        Assert.Contains("failover 2 of 2, to n3 outside server group site-a (none of its nodes can run it)", c.NodeLog("n3"), StringComparison.Ordinal);
        Assert.Equal(["n1", "n2", "n3"], c.LedgerEntries.Where(e => e.Action == "start").Select(e => e.Node).ToArray());
        c.AssertNoDoubleActivation();
    }

    private static async Task KillHelloAsync(ClusterLab c, string node)
    {
        var r = await c.Lab.ExecCaptureAsync(node, ["/bin/sh", "-c", "kill -9 $(cat /run/palisade-hello.pid) && rm -f /run/palisade-hello.pid"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.True(r.ExitCode == 0, r.Stderr);
        await File.AppendAllTextAsync(c.Lab.LedgerPath, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} {node} stop hello\n");
    }
}
