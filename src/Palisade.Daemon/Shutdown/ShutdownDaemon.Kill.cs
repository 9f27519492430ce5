using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

internal sealed partial class ShutdownDaemon
{
    /// <summary>
    /// Runs the target's agents in order until one confirms the node is stopped, announcing every attempt and then
    /// the outcome. Refuses without quorum (a partition without quorum never fences) and while the daemon is stopped.
    /// With <paramref name="powerOnAfter"/> (a final action's reset), the node is powered on again once confirmed off
    /// and the result announced. With <paramref name="dumpFirst"/> (a final action's panic), the node is sent a
    /// diagnostic interrupt before the chain, which then confirms it stopped as for any fence.
    /// </summary>
    public async Task FenceAsync(string target, bool powerOnAfter = false, bool dumpFirst = false)
    {
        if (!Running)
        {
            SdLog.StoppedCannotFence(_log, target);
            Fail(target, "none", $"the shutdown daemon on {Local} is stopped");
            return;
        }

        if (!_isQuorate())
        {
            Log.FenceRefused(_log, target);
            Fail(target, "none", "the fencing node lost quorum");
            return;
        }

        NodeConfig? node;
        lock (_gate)
        {
            node = _config.FindNode(target);
            if (!_killing.Add(target))
            {
                return; // this node already runs the chain for it
            }
        }

        try
        {
            await RunChainAsync(target, node, powerOnAfter, dumpFirst);
        }
        finally
        {
            lock (_gate)
            {
                _killing.Remove(target);
            }
        }
    }

    /// <summary>
    /// Records that this node will not run a fence it was asked for, and why: the attempt fails without touching any
    /// agent, and the coordinator decides again.
    /// </summary>
    public void Decline(string target, string reason)
    {
        SdLog.LateFenceDeclined(_log, target, reason);
        Fail(target, "none", reason);
    }

    private async Task RunChainAsync(string target, NodeConfig? node, bool powerOnAfter, bool dumpFirst)
    {
        if (node is null || node.ShutdownAgents.IsEmpty)
        {
            Fail(target, "none", "no shutdown agent is configured for this node");
            return;
        }

        if (dumpFirst)
        {
            await SendNmiAsync(target, node);
        }

        var failures = new List<string>();
        for (var i = 0; i < node.ShutdownAgents.Length; i++)
        {
            var index = i + 1;
            var config = node.ShutdownAgents[i];
            IShutdownAgent agent;
            lock (_gate)
            {
                agent = _agents.TryGetValue((target, index), out var a)
                    ? a
                    : _agentFactory.Create(config, node);
            }

            var started = Time.GetUtcNow();
            var result = WatchdogChain.Weigh(node, config, await RunAsync(target, index, agent, AgentActivity.Kill, (x, ct) => x.KillAsync(ct)));
            Log.FenceAttempt(_log, target, index, config.Type, result.Outcome.ToString(), (long)result.Duration.TotalMilliseconds, result.Reason);
            _sender.Send(new FenceAttempted(target, index, config.Type, ActionOf(config), started, (long)result.Duration.TotalMilliseconds,
                ResultOf(result.Outcome), result.Reason) { From = Local, At = Time.GetUtcNow() });
            if (result.Succeeded)
            {
                Report(target, true, $"{index}:{config.Type}", $"{config.Type} confirmed in {result.Duration.TotalMilliseconds:F0} ms: {result.Reason}");
                if (powerOnAfter)
                {
                    await PowerOnAgainAsync(target, node, index);
                }

                return;
            }

            failures.Add($"{index}:{config.Type}: {result.Reason}");
            if (!Running)
            {
                failures.Add($"the shutdown daemon on {Local} was stopped during the chain");
                break;
            }
        }

        SdLog.AllAgentsFailed(_log, target, string.Join("; ", failures));
        Report(target, false, string.Join(",", node.ShutdownAgents.Select((a, i) => $"{i + 1}:{a.Type}")), string.Join("; ", failures));
    }

    /// <summary>
    /// A reset or power cycle asked by a final action: the node is confirmed off (the cluster may already start its
    /// groups elsewhere), then powered on through the agent that confirmed it, or else the first of its chain that can
    /// switch power. The attempt goes into the fence history like any other.
    /// </summary>
    private async Task PowerOnAgainAsync(string target, NodeConfig node, int confirmedBy)
    {
        var order = Enumerable.Range(1, node.ShutdownAgents.Length).OrderBy(i => i == confirmedBy ? 0 : 1);
        if (!await TryAgentsAsync<IPowerSwitch>(target, node, order, "on", (power, ct) => power.PowerOnAsync(ct),
            (index, type, r) => SdLog.PoweredOnAgain(_log, target, index, type, r.Outcome.ToString(), (long)r.Duration.TotalMilliseconds, r.Reason)))
        {
            SdLog.CannotPowerOnAgain(_log, target);
        }
    }

    /// <summary>
    /// A panic asked by a final action: the first agent of the node's chain whose BMC can send a diagnostic interrupt
    /// does, and the history records it (action <c>nmi</c>). The interrupt confirms nothing; the chain that follows does.
    /// </summary>
    private async Task SendNmiAsync(string target, NodeConfig node)
    {
        if (!await TryAgentsAsync<INmiSwitch>(target, node, Enumerable.Range(1, node.ShutdownAgents.Length), "nmi", (nmi, ct) => nmi.NmiAsync(ct),
            (index, type, r) => SdLog.NmiSent(_log, target, index, type, r.Outcome.ToString(), (long)r.Duration.TotalMilliseconds, r.Reason)))
        {
            SdLog.NoNmi(_log, target);
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the agents of <paramref name="node"/> that can (in <paramref name="order"/>, 1-based)
    /// until one succeeds, each attempt logged and recorded in the history as <paramref name="action"/>.
    /// </summary>
    private async Task<bool> TryAgentsAsync<T>(string target, NodeConfig node, IEnumerable<int> order, string action,
        Func<T, CancellationToken, Task<AgentResult>> call, Action<int, string, AgentResult> log)
        where T : class
    {
        foreach (var index in order)
        {
            var config = node.ShutdownAgents[index - 1];
            IShutdownAgent agent;
            lock (_gate)
            {
                agent = _agents.TryGetValue((target, index), out var a) ? a : _agentFactory.Create(config, node);
            }

            if (agent is not T capable)
            {
                continue;
            }

            var started = Time.GetUtcNow();
            var result = await RunAsync(target, index, agent, AgentActivity.Kill, (_, ct) => call(capable, ct));
            log(index, config.Type, result);
            _sender.Send(new FenceAttempted(target, index, config.Type, action, started, (long)result.Duration.TotalMilliseconds,
                ResultOf(result.Outcome), result.Reason) { From = Local, At = Time.GetUtcNow() });
            if (result.Succeeded)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The action an agent performs, as the history shows it.</summary>
    private static string ActionOf(ShutdownAgentConfig agent)
    {
        var spec = ShutdownAgentCatalog.Find(agent.Type);
        if (spec is { Stops: false })
        {
            return "confirm";
        }

        return agent.Parameters.TryGetValue("action", out var action) ? action
            : agent.Parameters.TryGetValue("method", out var method) && method == "cycle" ? "cycle"
            : "off";
    }

    /// <summary>A chain that could not even start is still recorded, so the history shows every refusal.</summary>
    private void Fail(string target, string agent, string reason)
    {
        var now = Time.GetUtcNow();
        _sender.Send(new FenceAttempted(target, 0, agent, "none", now, 0, FenceResult.NotConfigured, reason) { From = Local, At = now });
        Report(target, false, agent, reason);
    }

    private void Report(string target, bool success, string agent, string reason) =>
        _sender.Send(new FenceCompleted(target, success, agent, reason) { From = Local, At = Time.GetUtcNow() });
}
