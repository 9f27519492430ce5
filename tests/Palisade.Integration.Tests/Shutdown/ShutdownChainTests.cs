using Palisade.Core.Shutdown;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;
using static Palisade.Integration.Tests.Shutdown.ShutdownConfigs;

namespace Palisade.Integration.Tests.Shutdown;

/// <summary>Agent chains on a real lab: fallback to the next agent, all agents failing, periodic tests.</summary>
[Collection("lab")]
public sealed class ShutdownChainTests
{
    private static readonly string[] History = ["sd", "--history", "n1", "--output", "json"];

    [Fact]
    public async Task WhenTheFirstAgentsBmcIsUnreachableTheSecondFencesWithinBothTimeouts()
    {
        var chains = Same(3, i => [Ipmi(i, timeoutSeconds: 3, address: i == 1 ? DeadBmc : null), Redfish(i, timeoutSeconds: 10)]);
        await using var c = await ClusterLab.UpYamlAsync(Cluster("chain", chains));

        await c.Lab.PowerAsync("n1", "off", c.Ct);
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"), "n1 fenced, web on n2");

        var history = ShutdownConfigs.History((await c.CliAsync("n2", History)).Stdout);
        var first = Assert.Single(history, r => r.Agent == "1:ipmi");
        var second = Assert.Single(history, r => r.Agent == "2:redfish");
        Assert.Contains(first.Result, new[] { FenceResult.TimedOut, FenceResult.Failed });
        Assert.Equal(FenceResult.Worked, second.Result);
        // The node lost power before anyone fenced it: the BMC confirms it is off.
        Assert.Matches(@"^n1 via redfish 198\.18\.0\.201:443: (confirmed|already) off", second.Reason);
        var chain = second.Started + TimeSpan.FromMilliseconds(second.DurationMs) - first.Started;
        Assert.True(chain <= TimeSpan.FromSeconds(3 + 10), $"the chain took {chain}");
        Assert.Equal("off", await c.Lab.PowerAsync("n1", "status", c.Ct));
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task WhenEveryAgentFailsTheGroupStaysBlockedUntilAnOperatorConfirmsTheNodeDown()
    {
        var chains = Same(3, i => [Ipmi(i, timeoutSeconds: 2, address: i == 1 ? DeadBmc : null)]);
        await using var c = await ClusterLab.UpYamlAsync(Cluster("allfail", chains));

        await c.Lab.PowerAsync("n1", "off", c.Ct);
        // Retries with backoff: at least three failed attempts in the replicated history.
        await c.WaitCliAsync("n2", History, json => ShutdownConfigs.History(json).Count(r => r.Result != FenceResult.Worked) >= 3,
            "three failed attempts on n1");
        var s = await c.Probe.StatusAsync("n2", c.Ct);
        Assert.Equal("Unclean", ClusterProbe.Node(s!, "n1")!.State);
        Assert.Equal(("Online", "n1"), (ClusterProbe.Group(s!, ClusterLab.Group)!.State, ClusterProbe.Group(s!, ClusterLab.Group)!.Node));
        Assert.Contains("ALERT: cannot fence n1: every shutdown agent failed", c.NodeLog("n2"), StringComparison.Ordinal);

        var refused = await c.CliAsync("n2", "sd", "--confirm-down", "n1");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("add --yes", refused.Stderr, StringComparison.Ordinal);
        var confirm = await c.CliAsync("n2", "sd", "--confirm-down", "n1", "--yes");
        Assert.True(confirm.ExitCode == 0, confirm.Stderr);
        Assert.Contains("!!! WARNING !!!", confirm.Stdout, StringComparison.Ordinal);

        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"), "web on n2 after the confirmation");
        var history = ShutdownConfigs.History((await c.CliAsync("n3", History)).Stdout);
        var confirmed = Assert.Single(history, r => r.Result == FenceResult.ConfirmedByOperator);
        Assert.Equal(("operator on n2", "confirm-down"), (confirmed.By, confirmed.Action));
        Assert.Contains("OPERATOR CONFIRMED n1 DOWN", c.NodeLog("n2"), StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task TestStateFailsWhenABmcDisappearsAndWorksAgainWhenItReturns()
    {
        var chains = Same(3, i => [Ipmi(i, timeoutSeconds: 2), Redfish(i, timeoutSeconds: 2)]);
        await using var c = await ClusterLab.UpYamlAsync(Cluster("tests", chains, shutdown: "{test_interval: 2s}"));
        string[] state = ["sd", "-s", "--output", "json"];
        static bool Rows(string json, string target, string test) =>
            System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("rows").EnumerateArray()
                .Where(r => r.GetProperty("clusterHost").GetString() == target)
                .All(r => r.GetProperty("testState").GetString() == test);

        await c.WaitCliAsync("n1", state, json => Rows(json, "n3", "TestWorked"), "n3's paths TestWorked");
        await c.Lab.SetBmcAsync("n3", up: false, c.Ct);
        var failed = await c.WaitCliAsync("n1", state, json => Rows(json, "n3", "TestFailed"), "n3's paths TestFailed", TimeSpan.FromSeconds(30));
        Assert.Contains("198.18.0.203", failed, StringComparison.Ordinal);
        var text = (await c.CliAsync("n1", "sd", "-s")).Stdout;
        Assert.Matches(@"n3\s+ipmi\s+TestFailed\s+Unknown\s+TestFailed\s+InitWorked", text);

        await c.Lab.SetBmcAsync("n3", up: true, c.Ct);
        await c.WaitCliAsync("n1", state, json => Rows(json, "n3", "TestWorked"), "n3's paths TestWorked again", TimeSpan.FromSeconds(30));
        Assert.Equal("on", await c.Lab.PowerAsync("n3", "status", c.Ct));
        c.AssertNoDoubleActivation();
    }
}
