using Palisade.Core.Shutdown;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;
using static Palisade.Integration.Tests.Shutdown.ShutdownConfigs;

namespace Palisade.Integration.Tests.Shutdown;

/// <summary>Each kind of shutdown agent fencing a real lab node: fence_ipmilan, Redfish, kdump, icmp.</summary>
[Collection("lab")]
public sealed class ShutdownAgentKindsTests
{
    private static async Task<FenceRecord> LastWorked(ClusterLab c, string from, string target)
    {
        var json = await c.WaitCliAsync(from, ["sd", "--history", target, "--output", "json"],
            j => ShutdownConfigs.History(j).Any(r => r.Result == FenceResult.Worked), $"a kill of {target} that worked");
        return ShutdownConfigs.History(json).Last(r => r.Result == FenceResult.Worked);
    }

    [Fact]
    public async Task FenceIpmilanAndRedfishStopNodesThroughTheirBmcs()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("kinds", [[FenceIpmilan(1)], [Redfish(2)], [Ipmi(3)]]));

        var kill = await c.CliAsync("n3", "sd", "-k", "n1", "--yes");
        Assert.True(kill.ExitCode == 0, kill.Stderr);
        Assert.Contains("A clean OS shutdown of n1 ('shutdown -h now' on it) is preferred", kill.Stdout, StringComparison.Ordinal);
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"), "n1 fenced by fence_ipmilan");
        var viaFenceAgent = await LastWorked(c, "n3", "n1");
        Assert.Equal(("1:fence-agent", "off"), (viaFenceAgent.Agent, viaFenceAgent.Action));
        Assert.StartsWith("n1 via fence_ipmilan: confirmed off", viaFenceAgent.Reason, StringComparison.Ordinal);
        Assert.Equal("off", await c.Lab.PowerAsync("n1", "status", c.Ct));

        // Back to three nodes, so that the two left after the next kill keep quorum.
        await c.Lab.PowerAsync("n1", "on", c.Ct);
        await c.WaitAsync("n3", s => s.Nodes.All(n => n.State == "Online"), "n1 back");
        kill = await c.CliAsync("n3", "sd", "-k", "n2", "--yes");
        Assert.True(kill.ExitCode == 0, kill.Stderr);
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group) && ClusterLab.NodeIs(s, "n2", "Fenced"), "n2 fenced by redfish");
        var viaRedfish = await LastWorked(c, "n3", "n2");
        Assert.Equal("1:redfish", viaRedfish.Agent);
        Assert.StartsWith("n2 via redfish 198.18.0.202:443: confirmed off", viaRedfish.Reason, StringComparison.Ordinal);
        Assert.Equal("off", await c.Lab.PowerAsync("n2", "status", c.Ct));
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task AKdumpAnnouncementConfirmsACrashedNodeBeforeAnyPowerAgent()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("kdump", Same(3, i => [Kdump, Ipmi(i)])));

        await c.Lab.PanicAsync("n1", TimeSpan.FromSeconds(1), c.Ct);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"), "n1 confirmed by kdump");

        var record = await LastWorked(c, "n2", "n1");
        Assert.Equal(("1:kdump", "confirm"), (record.Agent, record.Action));
        Assert.Matches(@"^n1 via kdump: dump kernel announced itself from 198\.18\.0\.1[14]1", record.Reason);
        // The crash-dump kernel still runs: the power agent was not needed.
        Assert.Equal("on", await c.Lab.PowerAsync("n1", "status", c.Ct));
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task IcmpConfirmsOnlyASilentNodeAndNeverStopsOne()
    {
        // An icmp-only chain needs the nodes' watchdogs: silence alone does not end it, the watchdog agent does.
        await using var c = await ClusterLab.UpYamlAsync(Cluster("icmp", Same(3, _ => [Icmp]), shutdown: "{watchdog_timeout: 3s}", watchdog: true));

        var kill = await c.CliAsync("n3", "sd", "-k", "n1", "--yes");
        Assert.True(kill.ExitCode == 0, kill.Stderr);
        var answered = await c.WaitCliAsync("n3", ["sd", "--history", "n1", "--output", "json"],
            j => ShutdownConfigs.History(j).Any(r => r.Result == FenceResult.Failed), "a failed icmp kill of a running n1");
        Assert.Contains("answered: the node is up; icmp never stops a node", ShutdownConfigs.History(answered).First().Reason, StringComparison.Ordinal);
        Assert.Equal("on", await c.Lab.PowerAsync("n1", "status", c.Ct));

        await c.Lab.PowerAsync("n1", "off", c.Ct);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"), "silent n1 confirmed down by icmp");
        var record = await LastWorked(c, "n2", "n1");
        Assert.Equal("2:watchdog", record.Agent);
        Assert.StartsWith("n1 via watchdog: its watchdog must have reset it", record.Reason, StringComparison.Ordinal);
        var history = ShutdownConfigs.History((await c.CliAsync("n2", "sd", "--history", "n1", "--output", "json")).Stdout);
        Assert.Contains(history, r => r.Agent == "1:icmp" && r.Reason.StartsWith("n1 via icmp: no answer from 198.18.0.11, 198.18.0.141", StringComparison.Ordinal)
            && r.Reason.EndsWith("silence is not enough on a node with a watchdog: its watchdog agent decides", StringComparison.Ordinal));
        c.AssertNoDoubleActivation();
    }
}
