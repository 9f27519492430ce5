using Microsoft.Extensions.Logging;
using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>
/// Runs a target node's shutdown agents in order until one confirms the node is off, then tells the cluster.
/// Refuses to act without quorum: a partition without quorum never fences.
/// </summary>
internal sealed class FenceRunner
{
    private readonly ClusterConfig _config;
    private readonly IClusterSender _sender;
    private readonly Func<bool> _isQuorate;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;

    public FenceRunner(ClusterConfig config, IClusterSender sender, Func<bool> isQuorate, ILoggerFactory loggers)
    {
        _config = config;
        _sender = sender;
        _isQuorate = isQuorate;
        _loggers = loggers;
        _log = loggers.CreateLogger("palisade.fencing");
    }

    public async Task FenceAsync(string target)
    {
        if (!_isQuorate())
        {
            Log.FenceRefused(_log, target);
            Report(target, false, "none", "the fencing node lost quorum");
            return;
        }

        var node = _config.FindNode(target)!;
        if (node.ShutdownAgents.IsEmpty)
        {
            Report(target, false, "none", "no shutdown agent is configured for this node");
            return;
        }

        var failures = new List<string>();
        for (var i = 0; i < node.ShutdownAgents.Length; i++)
        {
            var agentConfig = node.ShutdownAgents[i];
            var result = await RunOne(agentConfig, node).ConfigureAwait(false);
            Log.FenceAttempt(_log, target, i + 1, agentConfig.Type, result.Outcome.ToString(), (long)result.Duration.TotalMilliseconds, result.Reason);
            if (result.Succeeded)
            {
                Report(target, true, agentConfig.Type, $"{agentConfig.Type} confirmed power off in {result.Duration.TotalMilliseconds:F0} ms");
                return;
            }

            failures.Add($"{agentConfig.Type}: {result.Reason}");
        }

        Report(target, false, string.Join(",", node.ShutdownAgents.Select(a => a.Type)), string.Join("; ", failures));
    }

    private async Task<AgentResult> RunOne(ShutdownAgentConfig agentConfig, NodeConfig node)
    {
        // The agent enforces its own timeout; this guard only catches an agent that ignores it.
        using var guard = new CancellationTokenSource(agentConfig.Timeout + TimeSpan.FromSeconds(5));
        try
        {
            var agent = ShutdownAgentFactory.Create(agentConfig, ShutdownAgentFactory.TargetOf(node), new ShutdownAgentServices(_loggers, _sender.Time));
            return await agent.KillAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return new AgentResult(AgentOutcome.TimedOut, null, $"did not finish within {agentConfig.Timeout.TotalSeconds:F0} s", "", agentConfig.Timeout);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException)
        {
            return new AgentResult(AgentOutcome.NotConfigured, null, ex.Message, "", TimeSpan.Zero);
        }
    }

    private void Report(string target, bool success, string agent, string reason) =>
        _sender.Send(new FenceCompleted(target, success, agent, reason) { From = _sender.LocalNode, At = _sender.Time.GetUtcNow() });
}
