using Palisade.Agents;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Daemon.Tests;

public sealed class WatchdogChainTests
{
    private static readonly AgentResult Silence = new(AgentOutcome.Success, null, "n2 via icmp: no answer from 198.18.0.12 (3 echoes each)", "", TimeSpan.FromSeconds(1));
    private static readonly NodeConfig Node = new() { Name = "n2", Id = 2, Interconnect = ["198.18.0.12"] };

    [Fact]
    public void Silence_does_not_end_the_chain_of_a_node_with_a_watchdog_but_an_announcement_does()
    {
        var withWatchdog = Node with { Watchdog = "/var/lib/palisade/watchdog" };

        var icmp = WatchdogChain.Weigh(withWatchdog, new ShutdownAgentConfig { Type = "icmp" }, Silence);

        Assert.Equal((AgentOutcome.Failed, "n2 via icmp: no answer from 198.18.0.12 (3 echoes each); silence is not enough on a node with a watchdog: its watchdog agent decides"),
            (icmp.Outcome, icmp.Reason));
        Assert.Same(Silence, WatchdogChain.Weigh(withWatchdog, new ShutdownAgentConfig { Type = "kdump" }, Silence));
        Assert.Same(Silence, WatchdogChain.Weigh(Node, new ShutdownAgentConfig { Type = "icmp" }, Silence));
    }
}
