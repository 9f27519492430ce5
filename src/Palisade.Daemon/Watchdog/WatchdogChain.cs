using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

/// <summary>
/// How a confirmation counts in the chain of a node with a watchdog. Silence (icmp, declared
/// <see cref="AgentTypeSpec.ConfirmsBySilence"/>) is no proof that a node stopped:
/// with every link cut, a running node is silent too, and it resets itself only within its watchdog timeout. So on
/// such a node silence does not end the chain; the watchdog agent, which waits out that timeout, does.
/// </summary>
internal static class WatchdogChain
{
    public static AgentResult Weigh(NodeConfig node, ShutdownAgentConfig agent, AgentResult result)
    {
        if (!result.Succeeded || node.Watchdog is null || ShutdownAgentCatalog.Find(agent.Type) is not { ConfirmsBySilence: true })
        {
            return result;
        }

        return result with
        {
            Outcome = AgentOutcome.Failed,
            Reason = $"{result.Reason}; silence is not enough on a node with a watchdog: its watchdog agent decides",
        };
    }
}
