using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

internal sealed partial class ShutdownDaemon
{
    private readonly HashSet<string> _checking = new(StringComparer.Ordinal);

    /// <summary>
    /// The event path's check of a node reported down: its agents are asked, in chain order and read only, whether it
    /// is stopped. An agent that switches power reads it (off confirms; on ends the check unconfirmed; no answer
    /// moves to the next agent); a kdump agent waits for the node's crash-dump kernel to announce itself. Nothing is
    /// ever switched. The answer goes on the stream.
    /// </summary>
    /// <param name="instance">The target's palisaded as this node knows it: the answer is about that life of the node.</param>
    public async Task CheckDownAsync(string target, string report, string instance)
    {
        lock (_gate)
        {
            if (!_checking.Add(target))
            {
                return; // a check of it runs: its answer serves this report too
            }
        }

        try
        {
            await CheckAndAnswerAsync(target, report, instance);
        }
        finally
        {
            lock (_gate)
            {
                _checking.Remove(target);
            }
        }
    }

    private async Task CheckAndAnswerAsync(string target, string report, string instance)
    {
        var started = Time.GetTimestamp();
        var (confirmed, agent, reason) = !Running ? (false, "none", $"the shutdown daemon on {Local} is stopped")
            : !_isQuorate() ? (false, "none", $"{Local} lost quorum")
            : await CheckChainAsync(target);
        SdLog.DownChecked(_log, target, confirmed ? "confirmed" : "not confirmed", agent, (long)Time.GetElapsedTime(started).TotalMilliseconds, reason, report);
        _sender.Send(new NodeDownChecked(target, confirmed, agent, $"{reason} (report: {report})", (long)Time.GetElapsedTime(started).TotalMilliseconds, instance)
        {
            From = Local,
            At = Time.GetUtcNow(),
        });
    }

    private async Task<(bool Confirmed, string Agent, string Reason)> CheckChainAsync(string target)
    {
        NodeConfig? node;
        lock (_gate)
        {
            node = _config.FindNode(target);
        }

        if (node is null || node.ShutdownAgents.IsEmpty)
        {
            return (false, "none", "no shutdown agent is configured for this node");
        }

        var tried = new List<string>();
        for (var i = 0; i < node.ShutdownAgents.Length; i++)
        {
            var index = i + 1;
            var config = node.ShutdownAgents[i];
            IShutdownAgent agent;
            lock (_gate)
            {
                agent = _agents.TryGetValue((target, index), out var a) ? a : _agentFactory.Create(config, node);
            }

            var name = $"{index}:{config.Type}";
            using var guard = new CancellationTokenSource(config.Timeout + AgentGuard, Time);
            try
            {
                if (agent is IPowerSwitch power)
                {
                    var (result, state) = await power.PowerStatusAsync(guard.Token);
                    switch (state)
                    {
                        case PowerState.Off:
                            return (true, name, $"power read back off: {result.Reason}");
                        case PowerState.On:
                            return (false, name, $"power is on: {result.Reason}");
                        default:
                            tried.Add($"{name}: power unknown: {result.Reason}");
                            continue;
                    }
                }

                if (config.Type == "kdump")
                {
                    var result = await agent.KillAsync(guard.Token); // listens only: a kdump agent never acts on the node
                    if (result.Succeeded)
                    {
                        return (true, name, $"its crash-dump kernel announced itself: {result.Reason}");
                    }

                    tried.Add($"{name}: {result.Reason}");
                }
            }
            catch (OperationCanceledException)
            {
                tried.Add($"{name}: no answer within {config.Timeout.TotalSeconds:0.#} s");
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                tried.Add($"{name}: {e.Message}");
            }
        }

        return (false, string.Join(",", node.ShutdownAgents.Select((a, i) => $"{i + 1}:{a.Type}")),
            tried.Count == 0 ? "none of its agents can read its state" : string.Join("; ", tried));
    }
}
