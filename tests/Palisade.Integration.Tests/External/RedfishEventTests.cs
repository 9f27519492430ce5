using Palisade.Core.Status;
using Palisade.Integration.Tests.Failover;
using Palisade.Integration.Tests.Shutdown;
using Palisade.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Palisade.Integration.Tests.External;

/// <summary>
/// Redfish events in the installed palisaded: each node follows the other nodes' lab BMCs (their EventService, by
/// a pushed subscription or the event stream). A cable report trips the external monitor of that port; a power-off
/// reported by the BMC is confirmed through the node's own agent and stands for its fence.
/// </summary>
[Collection("lab")]
public sealed class RedfishEventTests(ITestOutputHelper output)
{
    private static string? Health(StatusReport s, string monitor, string node) =>
        s.Monitors.FirstOrDefault(m => m.Name == monitor)?.Status.GetValueOrDefault(node);

    private static string Config(string delivery) =>
        ShutdownConfigs.Cluster("redfish-events", ShutdownConfigs.Same(3, i => [ShutdownConfigs.Redfish(i), ShutdownConfigs.Ipmi(i)])) + $$$"""
        intake:
          certificate: /etc/palisade/intake.crt
          key: /etc/palisade/intake.key
          senders:
            - {name: lab, token_file: /etc/palisade/intake.token, allow: [198.18.0.0/24], actions: [notify]}
        sources:
          redfish_events: {delivery: {{{delivery}}}, sender: lab}
        monitors:
          - {name: nic-mon0, type: external, target: web, category: NIC, keyword: mon0, recovery: {restart_limit: 0, failover_limit: 1}}

        """;

    /// <summary>The fence history of <paramref name="target"/>, as <paramref name="node"/> shows it: confirmed by the event, never powered off.</summary>
    private static async Task AssertConfirmedByEventAsync(ClusterLab c, string node, string target)
    {
        var history = ShutdownConfigs.History((await c.CliAsync(node, "sd", "--history", target, "--output", "json")).Stdout);
        Assert.Contains(history, r => r.Action == "confirm" && r.Result == Palisade.Core.Shutdown.FenceResult.ConfirmedByEvent);
        Assert.DoesNotContain(history, r => r.Action == "off");
    }

    [Fact]
    public async Task ACableReportPushedByTheBmcMovesTheGroupAndAPowerOffItPushesStandsForTheFence()
    {
        await using var c = await ClusterLab.UpYamlAsync(Config("push"));
        await c.WaitAsync("n2", _ => c.NodeLog("n2").Contains("the BMC of n1 (198.18.0.201:443) pushes to https://", StringComparison.Ordinal)
            && c.NodeLog("n3").Contains("the BMC of n1 (198.18.0.201:443) pushes to https://", StringComparison.Ordinal)
            && c.NodeLog("n1").Contains("the BMC of n2 (198.18.0.202:443) pushes to https://", StringComparison.Ordinal), "subscriptions at n1's and n2's BMCs");

        // The cable of n1's mon0 is pulled: n1's BMC reports it to n2 and n3, the monitor trips on n1, web moves.
        await c.Lab.NicFailAsync("n1", "mon0", clear: false, c.Ct);
        var moved = await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && Health(s, "nic-mon0", "n1") == "Error",
            "nic-mon0 Error on n1 and web moved to n2");
        Assert.Equal("Normal", Health(moved, "nic-mon0", "n2"));
        Assert.Contains("error NIC.mon0 on n1 from Redfish push from 198.18.0.201", c.NodeLog("n2"), StringComparison.Ordinal);

        // Plugged in again: the clear comes the same way and the monitor is Normal.
        await c.Lab.NicFailAsync("n1", "mon0", clear: true, c.Ct);
        await c.WaitAsync("n3", s => Health(s, "nic-mon0", "n1") == "Normal", "nic-mon0 Normal on n1 after the cable came back");

        // n2, which runs web now, loses its power: its BMC's report is checked through n2's own Redfish agent.
        await c.Lab.PowerAsync("n2", "off", c.Ct);
        var recovered = await c.WaitAsync("n3", s => ClusterLab.NodeIs(s, "n2", "Fenced") && ClusterProbe.GroupOnline(s, ClusterLab.Group) && !ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"),
            "n2 fenced and web Online again");
        output.WriteLine($"web now on {ClusterProbe.Group(recovered, ClusterLab.Group)?.Node}");
        await AssertConfirmedByEventAsync(c, "n3", "n2");
        Assert.True(c.NodeLog("n1").Contains("NODE.power-off on n2 from Redfish push", StringComparison.Ordinal)
            || c.NodeLog("n3").Contains("NODE.power-off on n2 from Redfish push", StringComparison.Ordinal), "no pushed power-off report of n2");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task APowerOffReadFromTheBmcsEventStreamStandsForTheFence()
    {
        await using var c = await ClusterLab.UpYamlAsync(Config("sse"));
        await c.WaitAsync("n2", _ => c.NodeLog("n2").Contains("reading the event stream of the BMC at 198.18.0.201:443", StringComparison.Ordinal)
            && c.NodeLog("n3").Contains("reading the event stream of the BMC at 198.18.0.201:443", StringComparison.Ordinal), "n2 and n3 read the event stream of n1's BMC");

        await c.Lab.PowerAsync("n1", "off", c.Ct);
        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, "n1", "Fenced") && ClusterProbe.GroupOnline(s, ClusterLab.Group) && !ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"),
            "n1 fenced and web Online elsewhere");
        await AssertConfirmedByEventAsync(c, "n2", "n1");
        Assert.True(c.NodeLog("n2").Contains("NODE.power-off on n1 from Redfish event stream", StringComparison.Ordinal)
            || c.NodeLog("n3").Contains("NODE.power-off on n1 from Redfish event stream", StringComparison.Ordinal), "no streamed power-off report of n1");
        c.AssertNoDoubleActivation();
    }
}
