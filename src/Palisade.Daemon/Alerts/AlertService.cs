using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Daemon.Alerts;

/// <summary>
/// This node's side of the alerts. Every node derives the same events from every change it applies
/// (<see cref="AlertDerivation"/>) and queues each (event, alert, recipient) on its own disk before it counts
/// (<see cref="AlertQueue"/>). The event's owner (the coordinator after the change) delivers it; the others hold it.
/// When the owner is no longer a healthy member, the node that now delivers (the coordinator) delivers what it held
/// for it. A finished delivery is announced to the cluster (<see cref="AlertsDelivered"/>), and the nodes holding it
/// let it go. Deliveries to one target are made in sequence order; a failure is retried with
/// <see cref="AlertBackoff"/> and dropped past its maximum age.
/// </summary>
internal sealed class AlertService : IAsyncDisposable
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    private readonly ClusterConfig _config;
    private readonly string _local;
    private readonly IAlertSender _sender;
    private readonly Func<ClusterState?> _state;
    private readonly Action<ImmutableArray<AlertDone>> _announce;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly AlertQueue _queue;
    private readonly Channel<Input> _inputs = Channel.CreateUnbounded<Input>(new() { SingleReader = true });
    private readonly Dictionary<(string Target, long Sequence), (int Failures, DateTimeOffset Next)> _retries = [];
    private readonly HashSet<string> _takenOver = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public AlertService(ClusterConfig config, string local, string directory, IAlertSender sender, Func<ClusterState?> state,
        Action<ImmutableArray<AlertDone>> announce, TimeProvider time, ILogger log, TimeSpan? maxAge = null)
    {
        _config = config;
        _local = local;
        _sender = sender;
        _state = state;
        _announce = announce;
        _time = time;
        _log = log;
        MaxAge = maxAge ?? AlertBackoff.MaxAge;
        _queue = new AlertQueue(Path.Combine(directory, "queue.jsonl"));
        if (_queue.TornBytes > 0)
        {
            AlertLog.Torn(log, _queue.FilePath, _queue.TornBytes);
        }

        AlertLog.Opened(log, _queue.FilePath, _queue.Count);
        _loop = Task.Run(LoopAsync);
    }

    public AlertMetrics Metrics { get; } = new();

    public TimeSpan MaxAge { get; }

    private abstract record Input;

    private sealed record Events(ImmutableArray<AlertEvent> Items, DateTimeOffset At) : Input;

    private sealed record DoneElsewhere(ImmutableArray<AlertDone> Done) : Input;

    private sealed record TookState(long Version) : Input;

    /// <summary>Called by the host's loop for every message it applied while holding the state.</summary>
    public void OnApplied(ClusterMessage message, ClusterState? before, ClusterState after, bool tookState)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (tookState || before is null)
        {
            _inputs.Writer.TryWrite(new TookState(after.Version));
            return;
        }

        if (message is AlertsDelivered { } delivered && delivered.From != _local)
        {
            _inputs.Writer.TryWrite(new DoneElsewhere(delivered.Done));
        }

        var now = _time.GetUtcNow();
        var events = AlertDerivation.Derive(_config, before, after, now, fencing: message is not HistoryImported);
        if (!events.IsEmpty)
        {
            _inputs.Writer.TryWrite(new Events(events, now));
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                TakeInputs();
                await DeliverDueAsync().ConfigureAwait(false);
                UpdateDepth();
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                wait.CancelAfter(Poll);
                await _inputs.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                AlertLog.WriteFailed(_log, _queue.FilePath, e.Message);
                await Task.Delay(Poll, _time, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private void TakeInputs()
    {
        // Peeked, and read only once handled: a failed write leaves it for the next round.
        while (_inputs.Reader.TryPeek(out var input))
        {
            switch (input)
            {
                case Events e:
                    _queue.Add(Expand(e));
                    break;
                case DoneElsewhere d:
                    _queue.Finish(d.Done.Select(x => (x.Alert, x.Recipient, x.Sequence)), AlertOutcome.DoneElsewhere);
                    break;
                case TookState t when _queue.HighestSequence >= AlertSequence.Of(t.Version + 1, 0):
                    AlertLog.SeriesRestarted(_log, t.Version);
                    _queue.ForgetHighest();
                    break;
            }

            _inputs.Reader.TryRead(out _);
        }
    }

    /// <summary>Each event, for each alert that selects its kind, once per recipient.</summary>
    private IEnumerable<QueuedAlert> Expand(Events e) =>
        from ev in e.Items
        from alert in _config.Alerts
        where alert.Kinds.Contains(ev.Kind)
        from recipient in alert.Targets
        select new QueuedAlert(alert.Name, recipient, e.At, ev);

    /// <summary>Whether this node delivers <paramref name="item"/> now: it owns it, or its owner is gone and this node delivers.</summary>
    private bool Mine(QueuedAlert item, ClusterState? state) =>
        item.Event.Owner == _local
        || (state is not null && !state.IsHealthy(item.Event.Owner) && AlertDerivation.OwnerOf(state) == _local);

    private async Task DeliverDueAsync()
    {
        var state = _state();
        var now = _time.GetUtcNow();
        var expiredStandby = _queue.Pending.Where(p => !Mine(p, state) && AlertBackoff.Expired(p.Queued, now, MaxAge)).ToList();
        _queue.Finish(expiredStandby.Select(p => (p.Alert, p.Recipient, p.Sequence)), AlertOutcome.Dropped);
        var heads = _queue.Pending.Where(p => Mine(p, state)).GroupBy(p => p.Target).Select(g => g.First()).ToList();
        foreach (var owner in heads.Where(h => h.Event.Owner != _local).Select(h => h.Event.Owner).Distinct().Where(_takenOver.Add))
        {
            AlertLog.TakingOver(_log, owner, _local, _queue.Pending.Count(p => p.Event.Owner == owner));
        }

        var due = heads.Where(h => !_retries.TryGetValue((h.Target, h.Sequence), out var r) || r.Next <= now).ToList();
        if (due.Count == 0)
        {
            return;
        }

        var results = await Task.WhenAll(due.Select(async item =>
        {
            var alert = _config.Alerts.FirstOrDefault(a => a.Name == item.Alert);
            var result = alert is null ? new DeliveryResult(false, "the alert is no longer configured") : await _sender.SendAsync(alert, item, _stop.Token).ConfigureAwait(false);
            return (item, result);
        })).ConfigureAwait(false);
        var finished = new List<AlertDone>();
        now = _time.GetUtcNow();
        foreach (var (item, result) in results)
        {
            var key = (item.Target, item.Sequence);
            if (result.Ok)
            {
                _retries.Remove(key);
                _queue.Finish([(item.Alert, item.Recipient, item.Sequence)], AlertOutcome.Delivered);
                Metrics.Count(item.Alert, "delivered");
                AlertLog.Delivered(_log, item.Target, item.Sequence, item.Event.KindName, item.Event.Node, item.Event.Description, result.Detail);
                finished.Add(new AlertDone(item.Alert, item.Recipient, item.Sequence));
                continue;
            }

            Metrics.Count(item.Alert, "failed");
            if (AlertBackoff.Expired(item.Queued, now, MaxAge))
            {
                _retries.Remove(key);
                _queue.Finish([(item.Alert, item.Recipient, item.Sequence)], AlertOutcome.Dropped);
                Metrics.Count(item.Alert, "dropped");
                AlertLog.Dropped(_log, item.Target, item.Sequence, item.Event.KindName, item.Event.Node, Readable(now - item.Queued), result.Detail);
                finished.Add(new AlertDone(item.Alert, item.Recipient, item.Sequence));
                continue;
            }

            var failures = (_retries.TryGetValue(key, out var r) ? r.Failures : 0) + 1;
            var wait = AlertBackoff.After(failures);
            _retries[key] = (failures, now + wait);
            AlertLog.Failed(_log, item.Target, item.Sequence, item.Event.KindName, item.Event.Node, failures, Readable(wait), result.Detail);
        }

        if (finished.Count > 0)
        {
            _announce([.. finished]);
        }
    }

    private void UpdateDepth()
    {
        var state = _state();
        var mine = _queue.Pending.Count(p => Mine(p, state));
        Metrics.SetDepth(mine, _queue.Count - mine);
    }

    private static string Readable(TimeSpan t) => t.TotalSeconds < 60 ? $"{t.TotalSeconds:0.#} s" : t.TotalMinutes < 60 ? $"{t.TotalMinutes:0.#} min" : $"{t.TotalHours:0.#} h";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _queue.Dispose();
        _stop.Dispose();
    }
}
