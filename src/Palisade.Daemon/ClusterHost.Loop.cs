using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Corosync;

namespace Palisade.Daemon;

internal sealed partial class ClusterHost
{
    private static string PendingKey(ClusterMessage message) => Coordinator.KeyOf(message) ?? "";

    private void OnQuorum(bool quorate)
    {
        if (quorate == _quorate)
        {
            return;
        }

        _quorate = quorate;
        if (quorate)
        {
            NotePartitionChanged();
        }

        if (!quorate && InMaintenance)
        {
            Log.QuorumChanged(_log, "LOST during maintenance: this node's groups keep running untouched; this partition will not fence");
            return;
        }

        Log.QuorumChanged(_log, quorate ? "gained" : "LOST: stopping every group on this node; this partition will not fence");
        if (!quorate)
        {
            _ = _groups.StopAllAsync("this node lost quorum", report: true);
        }
    }

    /// <summary>Corosync's quorum flag now; null while corosync is busy (TRY_AGAIN), which says nothing about quorum.</summary>
    private bool? QueryQuorum()
    {
        try
        {
            return _link.ReadQuorum() switch
            {
                QuorumReading.Quorate => true,
                QuorumReading.NotQuorate => false,
                _ => null,
            };
        }
        catch (CorosyncException)
        {
            return false; // corosync is gone or broken: the loss of the link follows
        }
    }

    private void OnTick()
    {
        var now = Time.GetUtcNow();
        var steady = _steady.Now;
        foreach (var expired in _pending.Where(p => steady - p.Value > PendingExpiry).Select(p => p.Key).ToList())
        {
            _pending.Remove(expired);
        }

        RetryReports(now, steady);
        ReportPathTests(now, steady);
        PublishDueRepeats();
        ForgetFenceDecisions();
        _watch.Tick(_live.Current, _replica.State, _verdict, _adverts.Received, steady);
        if (steady >= _nextDigest && _replica.State is { } state)
        {
            _nextDigest = steady + DigestInterval;
            Send(new StateDigest(state.Version, StateHasher.Hash(state), [.. state.Members]) { From = LocalNode, At = now });
        }

        Plan();
    }

    /// <summary>
    /// This node's shutdown daemon's path test results go to the cluster when they differ from what the state holds
    /// for this node (a test changed, or an earlier report was lost); at most every <see cref="ReportRetry.Interval"/>
    /// for the same results.
    /// </summary>
    private void ReportPathTests(DateTimeOffset now, DateTimeOffset steady)
    {
        if (_replica.Phase != ReplicaPhase.Synced || _replica.State is not { } state || !_quorate)
        {
            return;
        }

        var held = state.Reachability.GetValueOrDefault(LocalNode, []);
        var paths = Core.Shutdown.PathTest.Of(_sd.Table, held);
        if (Core.Shutdown.PathTest.SameResults(paths, held)
            || (Core.Shutdown.PathTest.SameResults(paths, _pathsSent) && steady - _pathsSentAt < ReportRetry.Interval))
        {
            return;
        }

        _pathsSent = paths;
        _pathsSentAt = steady;
        Send(new PathTestsReported(paths) { From = LocalNode, At = now });
    }

    /// <summary>
    /// Reports the cluster has not applied (lost on a failed send) go out again, and so does this node's probe while
    /// the state says it has not reported: every placement waits on it.
    /// </summary>
    private void RetryReports(DateTimeOffset now, DateTimeOffset steady)
    {
        if (_replica.Phase == ReplicaPhase.AwaitingSnapshot && steady - _noStateSentAt > ReportRetry.Interval)
        {
            // Members start from the configuration only once every one of them said it holds no state: a lost
            // announcement would keep them all waiting. Saying it again changes nothing for those who heard it.
            _noStateSentAt = steady;
            Log.ReportResent(_log, nameof(NoState), ReportRetry.Interval);
            Send(_replica.AskForState("still waiting for a state snapshot", now));
        }

        if (_replica.Phase != ReplicaPhase.Synced || _replica.State is not { } state)
        {
            return;
        }

        foreach (var report in _groups.Reports.Due(state, LocalNode, _groups.Busy, now))
        {
            Log.ReportResent(_log, report.GetType().Name, now - report.At);
            Send(report);
        }

        if (state.IsMember(LocalNode) && state.Nodes[LocalNode] is { Probed: false } && !_probing && steady - _probeSentAt > ReportRetry.Interval)
        {
            Log.ReportResent(_log, nameof(ProbeReport), steady - _probeSentAt);
            _ = ProbeAndReportAsync();
        }
    }

    private void Plan()
    {
        if (_replica.Phase != ReplicaPhase.Synced || _replica.State is not { } state)
        {
            return;
        }

        // Ask corosync now rather than trusting the last notification: a membership change can be delivered before
        // the quorum change that goes with it, and a node must never plan a fence from a partition without quorum.
        if (QueryQuorum() is not { } quorate)
        {
            Log.QuorumUnknown(_log);
            return;
        }

        OnQuorum(quorate);
        // Local waits run on the steady clock; the coordinator compares with the wall clock, so they are converted.
        var now = Time.GetUtcNow();
        var steady = _steady.Now;
        if (state.Settled)
        {
            _settleDeadline = null; // a cluster that forms again gets a new join window
        }
        else if (state.Coordinator?.Name == LocalNode)
        {
            _settleDeadline ??= steady + JoinWindow;
        }

        var holds = _watch.Holds(WithLateHolds(ResolvePartition(state, steady), steady), _lostAt.Keys)
            .ToImmutableDictionary(h => h.Key, h => h.Value with { Until = _steady.ToWall(h.Value.Until, now) });
        var context = new PlanContext(LocalNode, _quorate, now, _steady.ToWall(_settleDeadline ?? steady + JoinWindow, now)) { FenceHolds = holds };
        _lastPlanContext = context;
        var plan = Coordinator.Decide(_live.Current, state, context);
        foreach (var decision in plan.Decisions)
        {
            if (_pending.ContainsKey(decision.Key))
            {
                continue;
            }

            _pending[decision.Key] = steady;
            NoteFenceDecided(decision.Message, steady);
            Log.Decision(_log, WhatIf.Describe(decision.Message));
            Send(decision.Message);
        }

        if (!plan.Waiting.SequenceEqual(_waiting))
        {
            foreach (var wait in plan.Waiting.Except(_waiting))
            {
                Log.Waiting(_log, wait);
            }

            _waiting = plan.Waiting;
        }
    }

    private void CheckDigest(StateDigest digest)
    {
        if (digest.From == LocalNode || _replica.StateAt(digest.Version) is not { } ours
            || (digest.View is { } view && _replica.State is { } now && !now.Members.SetEquals(view)))
        {
            return;
        }

        var hash = StateHasher.Hash(ours);
        if (hash != digest.Hash)
        {
            Log.DigestMismatch(_log, digest.From, digest.Version, digest.Hash, hash);
        }
    }

    private async Task<int> OnCorosyncLost(CorosyncLost lost)
    {
        Log.CorosyncLost(_log, lost.Reason);
        // Peers will fence this node; stopping now shortens the time anything runs twice if fencing is slow.
        await _monitors.DisposeAsync();
        if (InMaintenance)
        {
            Log.MaintenanceKeepsGroups(_log, "local corosync lost");
            return 3;
        }

        await _groups.StopAllAsync("local corosync lost", report: false);
        return 3;
    }

    /// <summary>
    /// The final action stop_cluster_service: this palisaded stops its groups and leaves, as on SIGTERM; with
    /// <paramref name="thenRun"/> (node_actions: system) it runs that command once its groups are stopped.
    /// </summary>
    private Task LeaveCluster(string reason, string? thenRun)
    {
        Log.LeavingCluster(_log, reason);
        _afterLeave ??= thenRun is null ? null : (thenRun, reason);
        _inputs.Writer.TryWrite(new ShutdownRequested());
        return Task.CompletedTask;
    }

    /// <summary>An operating-system action this node carries out itself (node_actions: system): logged before and after.</summary>
    private async Task RunNodeCommandAsync(string action, string command, string reason)
    {
        Log.NodeCommandStarting(_log, action, command, reason);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["PALISADE_NODE"] = LocalNode, ["PALISADE_ACTION"] = action };
        var run = await _commands(new Agents.ProcessSpec("/bin/sh", ["-c", command], environment, Timeout: NodeCommandTimeout), CancellationToken.None);
        var outcome = run.TimedOut ? $"did not finish within {NodeCommandTimeout.TotalSeconds:0}s"
            : run.ExitCode is { } code ? $"exited {code}" : $"could not start: {run.StandardError.Trim()}";
        var output = (run.StandardError.Trim() + " " + run.StandardOutput.Trim()).Trim();
        Log.NodeCommand(_log, action, command, outcome, (long)run.Duration.TotalMilliseconds, output.Length > 200 ? output[..200] : output);
    }

    private async Task ShutdownAsync()
    {
        Log.ShuttingDown(_log);
        Leaving = true;
        var maintenance = InMaintenance && _afterLeave is null;
        Send(new NodeLeaving(maintenance ? "palisaded is stopping during maintenance: its groups keep running" : "palisaded is shutting down") { From = LocalNode, At = Time.GetUtcNow() });
        await _monitors.DisposeAsync();
        if (maintenance)
        {
            Log.MaintenanceKeepsGroups(_log, "palisaded is stopping");
        }
        else
        {
            await _groups.StopAllAsync("palisaded is shutting down", report: true);
        }

        await _groups.DisposeAsync();
        await _sd.DisposeAsync();
        await _adverts.DisposeAsync();
        if (_intake is not null)
        {
            await _intake.DisposeAsync();
        }

        if (_afterLeave is var (command, reason))
        {
            await RunNodeCommandAsync(command == _config.NodeActions.Reboot ? "reboot" : "poweroff", command, reason);
        }
    }
}
