using Palisade.Configuration;
using Palisade.Core.Control;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>The operator's <c>palisade sd</c> commands.</summary>
internal sealed partial class ClusterHost
{
    /// <summary>Commands that take time (init, tests) answer later, so the loop keeps running meanwhile.</summary>
    private bool TryHandleSdAsync(ControlRequest r, TaskCompletionSource<ControlResponse> reply)
    {
        Task<ControlResponse>? work = (r.Command, r.Action) switch
        {
            ("sd", "start") => StartSdAsync(),
            ("sd", "stop") => StopSdAsync(),
            ("sd", "test-now") => TestNowAsync(),
            ("sd", "reconfigure") => ReconfigureAsync(r.Value ?? Options.ConfigPath),
            ("notify", _) => NotifyAsync(r.Notice),
            ("script", _) => RunRequestScriptAsync(r.Value),
            _ => null,
        };
        if (work is null)
        {
            return false;
        }

        _ = AnswerWhenDone(work, reply);
        return true;
    }

    private static async Task AnswerWhenDone(Task<ControlResponse> work, TaskCompletionSource<ControlResponse> reply)
    {
        try
        {
            reply.TrySetResult(await work);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            reply.TrySetResult(Fail(e.Message));
        }
    }

    private ControlResponse HandleSd(ControlRequest r) => r.Action switch
    {
        "state" => new ControlResponse(true, Sd: SdState()),
        "config" => new ControlResponse(true, Sd: new SdReport(LocalNode, _sd.Running) { Config = ShutdownConfigWriter.Write(_sd.Config) }),
        "history" => History(r.Target),
        "debug" => Debug(r.Value),
        "kill" => Kill(r.Target, r.DryRun),
        "confirm-down" => ConfirmDown(r.Target),
        _ => Fail($"unknown sd action '{r.Action}'"),
    };

    private SdReport SdState() => new(LocalNode, _sd.Running) { Rows = SdReport.RowsOf(_sd.Table) };

    private async Task<ControlResponse> StartSdAsync()
    {
        if (_sd.Running)
        {
            return new ControlResponse(true, $"the shutdown daemon on {LocalNode} already runs");
        }

        await _sd.StartAsync("operator: palisade sd -b");
        Send(new ShutdownDaemonChanged(true, "started by an operator") { From = LocalNode, At = Time.GetUtcNow() });
        return new ControlResponse(true, $"shutdown daemon started on {LocalNode}", Sd: SdState());
    }

    private async Task<ControlResponse> StopSdAsync()
    {
        if (!_sd.Running)
        {
            return new ControlResponse(true, $"the shutdown daemon on {LocalNode} is already stopped");
        }

        Send(new ShutdownDaemonChanged(false, "stopped by an operator") { From = LocalNode, At = Time.GetUtcNow() });
        await _sd.StopAsync("operator: palisade sd -e");
        return new ControlResponse(true,
            $"shutdown daemon stopped on {LocalNode}: this node fences nobody until 'palisade sd -b'; other nodes with a running shutdown daemon still fence");
    }

    private async Task<ControlResponse> TestNowAsync()
    {
        if (!_sd.Running)
        {
            return Fail($"the shutdown daemon on {LocalNode} is stopped; start it with 'palisade sd -b'");
        }

        await _sd.TestNowAsync();
        return new ControlResponse(true, Sd: SdState());
    }

    private async Task<ControlResponse> ReconfigureAsync(string path)
    {
        var loaded = ConfigLoader.LoadFile(path);
        if (!loaded.Ok)
        {
            return Fail($"{path} is not valid; the running configuration is untouched:\n  {string.Join("\n  ", loaded.Errors)}");
        }

        var (ok, message) = await _sd.ReconfigureAsync(loaded.Config!, path);
        return ok ? new ControlResponse(true, message) : Fail($"not reconfigured, the running configuration is untouched: {message}");
    }

    private ControlResponse History(string? target)
    {
        if (_replica.State is not { } state)
        {
            return Fail("this node does not hold the cluster state yet; try again in a moment");
        }

        if (target is not null && _config.FindNode(target) is null)
        {
            return Fail($"unknown node '{target}' (nodes: {string.Join(", ", _config.Nodes.Select(n => n.Name))})");
        }

        var records = state.FenceHistory.Where(h => target is null || h.Target == target).ToList();
        return new ControlResponse(true, Sd: new SdReport(LocalNode, _sd.Running) { History = records });
    }

    private ControlResponse Debug(string? value)
    {
        if (value is not ("on" or "off"))
        {
            return Fail($"sd -d takes on or off, got '{value}'");
        }

        Options.Debug.On = value == "on";
        SdLog.Debug(_log, value);
        return new ControlResponse(true, $"shutdown daemon debug output {value} on {LocalNode}");
    }

    private ControlResponse Kill(string? target, bool dryRun)
    {
        if (CheckTarget(target) is { } problem)
        {
            return problem;
        }

        var node = _replica.State!.Nodes[target!];
        if (node.State == NodeState.Fencing)
        {
            return Fail($"{target} is already being fenced by {node.FencingBy}");
        }

        return SendOrPreview(new FenceRequested(target!, $"operator on {LocalNode}") { From = LocalNode, At = Time.GetUtcNow() }, dryRun,
            $"forced stop of {target}", "; its groups move once a shutdown agent confirms it is off");
    }

    private ControlResponse ConfirmDown(string? target)
    {
        if (CheckTarget(target) is { } problem)
        {
            return problem;
        }

        var state = _replica.State!;
        var node = state.Nodes[target!];
        if (state.IsMember(target!))
        {
            return Fail($"{target} is a member of the cluster: it is not down, refusing to confirm it down");
        }

        if (node.State is not (NodeState.Unclean or NodeState.Fencing))
        {
            return Fail($"{target} is {node.State}, not waiting to be fenced: nothing to confirm");
        }

        var by = $"operator on {LocalNode}";
        SdLog.ConfirmedDown(_log, target!, by);
        Send(new NodeConfirmedDown(target!, by) { From = LocalNode, At = Time.GetUtcNow() });
        return new ControlResponse(true, $"{target} confirmed down by {by}; recorded in the fence history");
    }

    /// <summary>Null when <paramref name="target"/> is a node and this node may act for the cluster; else why not.</summary>
    private ControlResponse? CheckTarget(string? target)
    {
        if (target is null || _config.FindNode(target) is null)
        {
            return Fail($"unknown node '{target}' (nodes: {string.Join(", ", _config.Nodes.Select(n => n.Name))})");
        }

        if (_replica.State is null || _replica.Phase != Core.Replication.ReplicaPhase.Synced)
        {
            return Fail("this node does not hold the cluster state yet; try again in a moment");
        }

        return _quorate ? null : Fail("this node's partition has no quorum: it fences nothing and records nothing");
    }
}
