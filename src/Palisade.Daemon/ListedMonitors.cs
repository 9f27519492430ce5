using Microsoft.Extensions.Logging;
using Palisade.Agents.Monitors;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>
/// Runs the monitors of the <c>monitors:</c> list placed on this node, one loop each, and tells the cluster whenever
/// what a monitor finds here differs from what the replicated state shows: the state (and so every node) always
/// shows the same, and an Error where the target group runs moves its recovery ladder.
/// </summary>
internal sealed class ListedMonitors : IAsyncDisposable
{
    private readonly ClusterConfig _config;
    private readonly IClusterSender _sender;
    private readonly Func<MonitorConfig, IMonitorCheck> _checks;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private int _disposed;

    public ListedMonitors(ClusterConfig config, IClusterSender sender, Func<MonitorConfig, IMonitorCheck> checks, ILoggerFactory loggers)
    {
        _config = config;
        _sender = sender;
        _checks = checks;
        _log = loggers.CreateLogger("palisade.monitors");
    }

    public void Start()
    {
        // External monitors never poll: messages drive them (ExternalEvent).
        foreach (var monitor in _config.Monitors.Where(m => m.Kind != MonitorKind.External))
        {
            if (_config.FindGroup(monitor.Target) is { } target && monitor.NodesFor(target).Contains(_sender.LocalNode))
            {
                _ = RunAsync(monitor, _checks(monitor), _stop.Token);
            }
        }
    }

    private async Task RunAsync(MonitorConfig monitor, IMonitorCheck check, CancellationToken ct)
    {
        var type = MonitorConfig.KindName(monitor.Kind);
        var loop = new MonitorLoopState(monitor);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var now = _sender.Time.GetUtcNow();
                var state = _sender.State;
                var mine = state?.Monitors.GetValueOrDefault(monitor.Name)?.On(_sender.LocalNode);
                if (loop.Idle(state, mine, _sender.LocalNode, now) is { } idle)
                {
                    Log.ListedMonitorIdle(_log, monitor.Name, type, idle);
                }

                if (loop.Checking)
                {
                    var result = await check.CheckAsync(monitor.Timeout, ct);
                    switch (loop.Record(result))
                    {
                        case MonitorStep.Retrying:
                            Log.ListedMonitorRetrying(_log, monitor.Name, type, loop.Failures, monitor.Retries, result.Reason);
                            break;
                        case MonitorStep.Changed:
                            Log.ListedMonitorChanged(_log, monitor.Name, type, $"{loop.Health}", loop.Reason);
                            break;
                    }

                    Report(monitor, loop, _sender.State?.Monitors.GetValueOrDefault(monitor.Name)?.On(_sender.LocalNode));
                }

                await Task.Delay(monitor.Interval, _sender.Time, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // palisaded is stopping
        }
    }

    /// <summary>Sends what this node finds when the state shows something else, at most every ReportRetry.Interval.</summary>
    private void Report(MonitorConfig monitor, MonitorLoopState loop, MonitorOnNode? shown)
    {
        if (_sender.State is null || loop.Health is not { } health || shown?.Health == MonitorHealth.Suspended
            || (shown?.Health ?? MonitorHealth.Normal) == health)
        {
            return;
        }

        var now = _sender.Time.GetUtcNow();
        if (loop.LastSent == health && now - loop.LastSentAt < ReportRetry.Interval)
        {
            return;
        }

        loop.LastSent = health;
        loop.LastSentAt = now;
        _sender.Send(new MonitorReported(monitor.Name, _sender.LocalNode, health, loop.Reason) { From = _sender.LocalNode, At = now });
    }

    /// <summary>Stops every loop; safe to call more than once (corosync lost, then shutdown).</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Cancel();
            _stop.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>A real check: a resource monitor runs the resource's agent, every other type its own probe.</summary>
    public static IMonitorCheck Check(ClusterConfig config, MonitorConfig monitor, IResourceAgentFactory agents, string node)
    {
        if (monitor.Kind != MonitorKind.Resource)
        {
            return MonitorCheckFactory.Create(monitor);
        }

        var slash = monitor.Resource!.IndexOf('/', StringComparison.Ordinal);
        var group = config.FindGroup(monitor.Resource[..slash])!;
        var resource = group.Resources.First(r => r.Name == monitor.Resource[(slash + 1)..]);
        return new ResourceAgentCheck(agents.Create(resource, group.Name, node));
    }
}
