using Xunit;

namespace Palisade.Agents.Tests;

/// <summary>
/// The plug check on fencing.py agents, whose list prints <c>plug,alias</c> lines: a plug-table agent built on the
/// installed library, and the real fence_crosslink, which declares a list action it cannot run.
/// </summary>
public sealed class FencingPyPlugCheckTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ListLoggerFactory _loggers = new();

    private IShutdownAgent Agent(PlugTableAgent table, params (string Name, string Value)[] options) =>
        FenceAgentConfigs.Agent("fence-agent", Timeout, [.. table.Options, .. options], _loggers);

    [Fact]
    public async Task An_unknown_plug_is_refused_although_the_agents_status_calls_it_off()
    {
        using var table = new PlugTableAgent(("vm-1", "web one"), ("vm-2", ""));

        AgentResult off = await Agent(table, ("plug", "vm-3")).KillAsync(CancellationToken.None);
        AgentResult test = await Agent(table, ("plug", "vm-3")).TestAsync(CancellationToken.None);
        (_, PowerState unknownState) = await ((IPowerSwitch)Agent(table, ("plug", "vm-3"))).PowerStatusAsync(CancellationToken.None);

        Assert.Equal(PowerState.Off, unknownState);
        Assert.Equal(AgentOutcome.Failed, off.Outcome);
        Assert.Equal("n2 via fence_plugtable: plug 'vm-3' is not known to the agent (it lists: vm-1, vm-2)", off.Reason);
        Assert.Equal("stdout: vm-1,web one\nvm-2,", off.OutputExcerpt);
        Assert.Equal((AgentOutcome.Failed, off.Reason), (test.Outcome, test.Reason));
    }

    [Fact]
    public async Task A_listed_plug_is_killed()
    {
        using var table = new PlugTableAgent(("vm-1", "web one"), ("vm-2", ""));

        AgentResult off = await Agent(table, ("plug", "vm-2")).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Matches(@"^n2 via fence_plugtable: confirmed off after [\d.]+m?s$", off.Reason);
        Assert.Equal(("on", "off"), (table.Power("vm-1"), table.Power("vm-2")));
    }

    [Fact]
    public async Task Every_plug_of_a_multi_plug_value_must_be_listed()
    {
        using var table = new PlugTableAgent(("vm-1", ""), ("vm-2", ""));

        AgentResult partly = await Agent(table, ("plug", "vm-1,vm-3,vm-4")).KillAsync(CancellationToken.None);
        string powerAfterRefusal = table.Power("vm-1");
        AgentResult both = await Agent(table, ("plug", "vm-1,vm-2")).KillAsync(CancellationToken.None);

        Assert.Equal("n2 via fence_plugtable: plugs 'vm-3', 'vm-4' are not known to the agent (it lists: vm-1, vm-2)", partly.Reason);
        Assert.Equal("on", powerAfterRefusal);
        Assert.Equal(AgentOutcome.Success, both.Outcome);
        Assert.Equal(("off", "off"), (table.Power("vm-1"), table.Power("vm-2")));
    }

    [Fact]
    public async Task The_operators_separators_are_followed()
    {
        using var table = new PlugTableAgent(("rack,1", "left"), ("rack,2", "right"));

        AgentResult off = await Agent(table, ("plug", "rack,1"), ("separator", ";"), ("plug_separator", "+")).KillAsync(CancellationToken.None);
        AgentResult wrong = await Agent(table, ("plug", "rack"), ("separator", ";"), ("plug_separator", "+")).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Equal(("off", "on"), (table.Power("rack,1"), table.Power("rack,2")));
        Assert.Equal("n2 via fence_plugtable: plug 'rack' is not known to the agent (it lists: rack,1, rack,2)", wrong.Reason);
    }

    [Fact]
    public async Task An_empty_list_knows_no_plug()
    {
        using var table = new PlugTableAgent();

        AgentResult off = await Agent(table, ("plug", "vm-1")).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, off.Outcome);
        Assert.Equal("n2 via fence_plugtable: plug 'vm-1' is not known to the agent (it lists no plugs)", off.Reason);
    }

    [Fact]
    public async Task An_agent_that_cannot_list_is_tested_without_the_check()
    {
        // fence_crosslink's list and monitor only print a NOTICE; neither pings anything.
        AgentResult test = await FenceAgentConfigs.Agent(
            "fence-agent", Timeout, [("agent", "fence_crosslink"), ("crosscableip", "127.0.0.1")], _loggers).TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, test.Outcome);
        Assert.Matches(@"^n2 via fence_crosslink: monitor succeeded in [\d.]+m?s$", test.Reason);
        Assert.Contains(_loggers.Lines, l => l.Contains("[3209]", StringComparison.Ordinal)
            && l.Contains("cannot list (NOTICE: List option is not working on this device yet); plug 'n2' not checked", StringComparison.Ordinal));
    }
}
