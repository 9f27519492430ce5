using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>The cluster's alerts (<c>alerts:</c>): events from every applied change, delivered from a durable queue.</summary>
internal sealed partial class ClusterHost
{
    private Alerts.AlertService? _alerts;

    /// <summary>This node's alert counters and queue depth, for metrics; null when the cluster has no alerts.</summary>
    public Alerts.AlertMetrics? AlertMetrics => _alerts?.Metrics;

    /// <summary>Starts the alert service when the cluster file has alerts (its queue in the state directory's <c>alerts/</c>).</summary>
    private void StartAlerts(ClusterConfig config, Func<Agents.ProcessSpec, CancellationToken, Task<Agents.ProcessResult>> commands, ILoggerFactory loggers)
    {
        if (config.Alerts.IsDefaultOrEmpty)
        {
            return;
        }

        _alerts = new Alerts.AlertService(config, LocalNode, Path.Combine(Options.StateDirectory, "alerts"),
            new Alerts.AlertSender(config.Name, commands), () => State, AnnounceAlertsDone, Time,
            loggers.CreateLogger(Alerts.AlertLog.Category));
    }

    private void AnnounceAlertsDone(ImmutableArray<AlertDone> done)
    {
        foreach (var chunk in done.Chunk(200))
        {
            Send(new AlertsDelivered([.. chunk]) { From = LocalNode, At = Time.GetUtcNow() });
        }
    }

    /// <summary>Called by <see cref="Deliver"/> for every message applied while this node holds the state.</summary>
    private void OnAppliedForAlerts(ClusterMessage message, ClusterState? before, ClusterState after, bool tookState) =>
        _alerts?.OnApplied(message, before, after, tookState);
}
