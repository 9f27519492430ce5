using System.Collections.Immutable;
using System.Globalization;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class IcmpShutdownAgentTests(TestNetworkNamespace network) : IClassFixture<TestNetworkNamespace>
{
    private readonly ListLoggerFactory _loggers = new();

    private IShutdownAgent Agent(TimeSpan timeout, ImmutableArray<string> targetAddresses, params (string Name, string Value)[] parameters)
    {
        var config = new ShutdownAgentConfig
        {
            Type = "icmp",
            Timeout = timeout,
            Parameters = parameters.ToImmutableSortedDictionary(p => p.Name, p => p.Value),
        };
        return ShutdownAgentFactory.Create(config, new ShutdownTarget("n2", 2, targetAddresses), new ShutdownAgentServices(_loggers, TimeProvider.System));
    }

    [Fact]
    public async Task A_node_that_answers_is_not_confirmed_down_and_its_route_tests_fine()
    {
        IShutdownAgent agent = Agent(TimeSpan.FromSeconds(5), ["127.0.0.1", "::1"]);

        AgentResult kill = await agent.KillAsync(CancellationToken.None);
        AgentResult test = await agent.TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, kill.Outcome);
        Assert.Matches(@"^n2 via icmp: (127\.0\.0\.1|::1) answered: the node is up; icmp never stops a node$", kill.Reason);
        Assert.True(kill.Duration < TimeSpan.FromSeconds(1), $"an answer should end the kill at once; took {kill.Duration}");
        Assert.Equal(AgentOutcome.Success, test.Outcome);
        Assert.Matches(@"^n2 via icmp: every address answered \(127\.0\.0\.1 in \d+m?s, ::1 in \d+m?s\)$", test.Reason);
        Assert.Equal("icmp", agent.Type);
    }

    [Fact]
    public async Task Init_checks_addresses_and_that_the_echoes_fit_in_the_timeout()
    {
        AgentResult fine = await Agent(TimeSpan.FromSeconds(5), ["198.18.0.12", "198.18.0.142"]).InitAsync(CancellationToken.None);
        AgentResult malformed = await Agent(TimeSpan.FromSeconds(5), ["198.18.0.12"], ("addresses", "198.18.0.12,bad address")).InitAsync(CancellationToken.None);
        AgentResult none = await Agent(TimeSpan.FromSeconds(5), []).InitAsync(CancellationToken.None);
        AgentResult tooSlow = await Agent(TimeSpan.FromSeconds(5), ["198.18.0.12"], ("count", "10"), ("interval", "1000")).InitAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, fine.Outcome);
        Assert.Equal("n2 via icmp: will ping 198.18.0.12, 198.18.0.142 (3 echoes each, 300ms apart)", fine.Reason);
        Assert.Equal(AgentOutcome.NotConfigured, malformed.Outcome);
        Assert.Equal("n2 via icmp: address 'bad address' is neither an IP address nor a host name", malformed.Reason);
        Assert.Equal(AgentOutcome.NotConfigured, none.Outcome);
        Assert.Equal(AgentOutcome.NotConfigured, tooSlow.Outcome);
        Assert.Equal("n2 via icmp: 10 echoes 1s apart do not fit in the timeout of 5s", tooSlow.Reason);
        Assert.Contains("icmp", ShutdownAgentFactory.SupportedTypes);
    }

    [Fact]
    public async Task An_address_that_never_answers_confirms_the_node_down_within_the_timeout()
    {
        (AgentOutcome outcome, string reason, TimeSpan duration) = await InNamespaceAsync("kill", TestNetworkNamespace.Silent, timeoutMs: 1500);

        Assert.Equal(AgentOutcome.Success, outcome);
        Assert.Equal($"n2 via icmp: no answer from {TestNetworkNamespace.Silent} (2 echoes each)", reason);

        // Each echo waits only for what is left of the agent's time.
        Assert.InRange(duration, TimeSpan.FromMilliseconds(1000), TimeSpan.FromMilliseconds(1800));
    }

    [Fact]
    public async Task Any_answering_address_fails_the_kill()
    {
        (AgentOutcome outcome, string reason, _) = await InNamespaceAsync("kill", $"{TestNetworkNamespace.Silent},{TestNetworkNamespace.Answering}", timeoutMs: 3000);

        Assert.Equal(AgentOutcome.Failed, outcome);
        Assert.Equal($"n2 via icmp: {TestNetworkNamespace.Answering} answered: the node is up; icmp never stops a node", reason);
    }

    [Fact]
    public async Task Test_fails_naming_the_silent_addresses()
    {
        (AgentOutcome outcome, string reason, _) = await InNamespaceAsync("test", $"{TestNetworkNamespace.Answering},{TestNetworkNamespace.Silent}", timeoutMs: 1500);

        Assert.Equal(AgentOutcome.Failed, outcome);
        Assert.Equal($"n2 via icmp: no answer from {TestNetworkNamespace.Silent} (2 echoes each); answered: {TestNetworkNamespace.Answering}", reason);
    }

    /// <summary>Runs the agent inside the test's namespace: 2 echoes per address, 100 ms apart.</summary>
    private async Task<(AgentOutcome Outcome, string Reason, TimeSpan Duration)> InNamespaceAsync(string action, string addresses, int timeoutMs)
    {
        ProcessResult run = await network.RunTestProgramAsync("icmp", action, addresses, "2", "100", timeoutMs.ToString(CultureInfo.InvariantCulture));
        string[] lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(run.ExitCode == 0 && lines.Length == 3, $"exit {run.ExitCode}\nstdout: {run.StandardOutput}\nstderr: {run.StandardError}");
        return (Enum.Parse<AgentOutcome>(lines[0]), lines[1], TimeSpan.FromMilliseconds(int.Parse(lines[2], CultureInfo.InvariantCulture)));
    }
}
