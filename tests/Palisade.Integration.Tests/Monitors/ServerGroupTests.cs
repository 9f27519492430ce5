using Palisade.Integration.Tests.Failover;
using Palisade.Integration.Tests.Shutdown;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Monitors;

/// <summary>A failover of the recovery ladder stays in the server group it leaves when it can (a site, a rack).</summary>
[Collection("lab")]
public sealed class ServerGroupTests
{
    [Fact]
    public async Task AFailoverGoesToTheNextNodeOfItsServerGroupBeforeANodeListedEarlierInAnother()
    {
        var yaml = ShutdownConfigs.Cluster("sg", ShutdownConfigs.Same(4, i => [ShutdownConfigs.Ipmi(i)]))
            .Replace("nodes: [n1, n2, n3, n4]", "nodes: [n1, n3, n2, n4]", StringComparison.Ordinal)
            .Replace("monitor_interval: 5s", "monitor_interval: 1s\n        recovery: {restart_limit: 0, failover_limit: 1}", StringComparison.Ordinal)
            + "server_groups:\n  - {name: site-a, nodes: [n1, n2]}\n  - {name: site-b, nodes: [n3, n4]}\n";
        await using var c = await ClusterLab.UpYamlAsync(yaml);

        var r = await c.Lab.ExecCaptureAsync("n1", ["/bin/sh", "-c", "kill -9 $(cat /run/palisade-hello.pid) && rm -f /run/palisade-hello.pid"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.True(r.ExitCode == 0, r.Stderr);
        await File.AppendAllTextAsync(c.Lab.LedgerPath, $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()} n1 stop hello\n");

        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web failed over to n2, in site-a with n1");
        Assert.Contains("failover 1 of 1, to n2 within server group site-a", c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Node is "n3" or "n4" && e.Action == "start");
        c.AssertNoDoubleActivation();
    }
}
