using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

public sealed class ShutdownTableTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static ShutdownTable Table()
    {
        var config = TestConfigs.Cluster(2);
        var chain = config.Nodes[1] with
        {
            ShutdownAgents = [new ShutdownAgentConfig { Type = "ipmi" }, new ShutdownAgentConfig { Type = "redfish" }],
        };
        return ShutdownTable.Create(config with { Nodes = [config.Nodes[0], chain] });
    }

    [Fact]
    public void Rows_follow_the_configuration_order_and_start_unknown()
    {
        var table = Table();

        Assert.Equal([("n1", 1, "test-bmc"), ("n2", 1, "ipmi"), ("n2", 2, "redfish")], table.Rows.Select(r => (r.Target, r.Index, r.Agent)));
        Assert.All(table.Rows, r => Assert.Equal((SaState.Idle, ShutState.Unknown, TestState.Unknown, InitState.Unknown), (r.Sa, r.Shut, r.Test, r.Init)));
    }

    [Fact]
    public void Init_test_and_kill_move_the_states_the_operator_sees()
    {
        var table = Table()
            .Started("n2", 1, AgentActivity.Init, T0);
        Assert.Equal(("Init-ing", "Init-ing"), (ShutdownText.Of(table.Find("n2", 1)!.Sa), ShutdownText.Of(table.Find("n2", 1)!.Init)));

        table = table.Finished("n2", 1, AgentActivity.Init, true, "ipmitool found", T0)
            .Started("n2", 1, AgentActivity.Test, T0)
            .Finished("n2", 1, AgentActivity.Test, false, "no answer", T0.AddSeconds(1));
        var row = table.Find("n2", 1)!;
        Assert.Equal((SaState.TestFailed, TestState.TestFailed, InitState.InitWorked, "no answer"), (row.Sa, row.Test, row.Init, row.Reason));
        Assert.True(table.IsReady("n2", 1));

        table = table.Started("n2", 1, AgentActivity.Kill, T0).Finished("n2", 1, AgentActivity.Kill, true, "off", T0);
        row = table.Find("n2", 1)!;
        Assert.Equal((SaState.KillWorked, ShutState.KillWorked, TestState.TestFailed), (row.Sa, row.Shut, row.Test));
    }

    [Fact]
    public void A_kill_by_another_node_changes_the_shut_state_but_not_this_nodes_sa_state()
    {
        var table = Table()
            .Started("n2", 2, AgentActivity.Init, T0)
            .Finished("n2", 2, AgentActivity.Init, true, "ok", T0)
            .Finished("n2", 2, AgentActivity.Kill, false, "by n3: 401", T0, local: false);

        var row = table.Find("n2", 2)!;
        Assert.Equal((SaState.InitWorked, ShutState.KillFailed, "by n3: 401"), (row.Sa, row.Shut, row.Reason));
    }

    [Fact]
    public void Uninit_forgets_init_and_test_results()
    {
        var table = Table()
            .Finished("n2", 1, AgentActivity.Init, true, "ok", T0)
            .Finished("n2", 1, AgentActivity.Test, true, "on", T0)
            .Started("n2", 1, AgentActivity.UnInit, T0);
        Assert.Equal("UnInit-ing", ShutdownText.Of(table.Find("n2", 1)!.Sa));
        Assert.False(table.IsReady("n2", 1));

        table = table.Finished("n2", 1, AgentActivity.UnInit, true, "uninitialised", T0);
        var row = table.Find("n2", 1)!;
        Assert.Equal((SaState.UnInitWorked, InitState.Unknown, TestState.Unknown), (row.Sa, row.Init, row.Test));
        Assert.False(table.IsReady("n2", 1));
    }

    [Fact]
    public void Unknown_rows_are_left_alone()
    {
        var table = Table();
        Assert.Same(table, table.Started("n9", 1, AgentActivity.Kill, T0));
    }
}
