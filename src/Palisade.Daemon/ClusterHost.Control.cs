using Palisade.Core.Configuration;
using Palisade.Core.Control;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;
using Palisade.Core.Status;

namespace Palisade.Daemon;

internal sealed partial class ClusterHost
{
    /// <summary>Hands an operator request to the loop and waits for its answer.</summary>
    public Task<ControlResponse> SubmitAsync(ControlRequest request)
    {
        var reply = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inputs.Writer.TryWrite(new Control(request, reply)))
        {
            reply.TrySetResult(new ControlResponse(false, Error: "palisaded is shutting down"));
        }

        return reply.Task;
    }

    /// <summary>Answers at once, except the shutdown daemon commands that take time: those answer when done.</summary>
    private void OnControl(Control control)
    {
        if (!TryHandleSdAsync(control.Request, control.Reply))
        {
            control.Reply.TrySetResult(HandleControl(control.Request));
        }
    }

    private ControlResponse HandleControl(ControlRequest request) => request.Command switch
    {
        "status" => new ControlResponse(true, Status: BuildStatus()),
        "group" => HandleGroup(request),
        "sd" => HandleSd(request),
        "monitor" => HandleMonitor(request),
        "node" => HandleNode(request),
        "maintenance" => HandleMaintenance(request),
        _ => new ControlResponse(false, Error: $"unknown command '{request.Command}' (known: status, group, monitor, node, maintenance, sd, notify)"),
    };

    private StatusReport BuildStatus() =>
        StatusBuilder.Build(_config, _replica.State, LocalNode, _quorate, _replica.Phase.ToString(), _waiting);

    private ControlResponse HandleGroup(ControlRequest r)
    {
        if (r.Group is null || _config.FindGroup(r.Group) is not { } group)
        {
            var known = string.Join(", ", _config.Groups.Select(g => g.Name));
            return Fail($"unknown group '{r.Group}' (groups: {(known.Length == 0 ? "none" : known)})");
        }

        if (_replica.State is not { } state || _replica.Phase != Core.Replication.ReplicaPhase.Synced)
        {
            return Fail("this node does not hold the cluster state yet; try again in a moment");
        }

        if (!_quorate)
        {
            return Fail("this node's partition has no quorum: nothing can be started, stopped or moved from here");
        }

        if (!Enum.TryParse<AdminAction>(r.Action, ignoreCase: true, out var action))
        {
            return Fail($"unknown action '{r.Action}' (expected start, stop, move or cleanup)");
        }

        if (GroupCommandGuard.WhyRefused(_config, state, LocalNode) is { } refused)
        {
            return Fail(refused);
        }

        if (state.Maintenance && action != AdminAction.Cleanup)
        {
            return Fail($"the cluster is in maintenance (set by {state.MaintenanceBy}): nothing is started, stopped or moved; run 'palisade maintenance off' first");
        }

        var to = r.To;
        if (action == AdminAction.Move)
        {
            var status = state.Groups[group.Name];
            to ??= group.Nodes.FirstOrDefault(n => n != status.Node && state.CanHost(n));
            if (to is null)
            {
                return Fail($"no other healthy node can take {group.Name} (nodes: {string.Join(", ", group.Nodes)})");
            }

            if (!group.Nodes.Contains(to))
            {
                return Fail($"{to} is not one of {group.Name}'s nodes ({string.Join(", ", group.Nodes)})");
            }

            if (!state.IsHealthy(to))
            {
                return Fail($"{to} is not Online ({state.Nodes.GetValueOrDefault(to)?.State.ToString() ?? "unknown node"})");
            }

            if (state.Nodes[to].Standby)
            {
                return Fail($"{to} is in standby: run 'palisade node online {to}' first");
            }

            if (status.Node == to && status.State == GroupState.Online)
            {
                return new ControlResponse(true, $"{group.Name} is already Online on {to}");
            }
        }

        if (action == AdminAction.Cleanup && to is not null && !group.Nodes.Contains(to))
        {
            return Fail($"{to} is not one of {group.Name}'s nodes ({string.Join(", ", group.Nodes)})");
        }

        var what = action switch
        {
            AdminAction.Move => $"move of {group.Name} to {to}",
            AdminAction.Cleanup when to is not null => $"cleanup of {group.Name} on {to}",
            AdminAction.Cleanup => $"cleanup of {group.Name} (failed on {(state.Groups[group.Name].FailedOn.IsEmpty ? "no node" : string.Join(", ", state.Groups[group.Name].FailedOn))})",
            _ => $"{action.ToString().ToLowerInvariant()} of {group.Name}",
        };
        return SendOrPreview(new AdminRequest(group.Name, action, to, $"operator on {LocalNode}") { From = LocalNode, At = Time.GetUtcNow() }, r.DryRun, what);
    }

    /// <summary><c>palisade monitor suspend|resume|clear NAME [--node N]</c>: the monitor is named in Group, the node in Target.</summary>
    private ControlResponse HandleMonitor(ControlRequest r)
    {
        var monitors = _config.Groups.SelectMany(g => g.Resources.Where(x => x.MonitorInterval > TimeSpan.Zero)
            .Select(x => (Name: ResourceConfig.MonitorName(g.Name, x.Name), Group: g, Nodes: g.Nodes)))
            .Concat(_config.Monitors.Select(m => (m.Name, Group: _config.FindGroup(m.Target)!, Nodes: m.NodesFor(_config.FindGroup(m.Target)!))))
            .ToList();
        if (monitors.FirstOrDefault(m => m.Name == r.Group) is not { Group: not null } monitor)
        {
            return Fail($"unknown monitor '{r.Group}' (monitors: {(monitors.Count == 0 ? "none" : string.Join(", ", monitors.Select(m => m.Name)))})");
        }

        if (!Enum.TryParse<MonitorAction>(r.Action, ignoreCase: true, out var action))
        {
            return Fail($"unknown action '{r.Action}' (expected suspend, resume or clear)");
        }

        if (r.Target is { } node && !monitor.Nodes.Contains(node))
        {
            return Fail($"{node} does not run {monitor.Name} (it runs on {string.Join(", ", monitor.Nodes)})");
        }

        if (StateWithQuorum() is null)
        {
            return NoStateWithQuorum;
        }

        return SendOrPreview(new MonitorCommand(monitor.Name, r.Target, action, $"operator on {LocalNode}") { From = LocalNode, At = Time.GetUtcNow() },
            r.DryRun, $"{action.ToString().ToLowerInvariant()} of monitor {monitor.Name} on {r.Target ?? "every node"}");
    }

    /// <summary>The state, when this node holds it and its partition has quorum: operators' commands are taken only then.</summary>
    private Core.State.ClusterState? StateWithQuorum() =>
        _replica.Phase == Core.Replication.ReplicaPhase.Synced && _quorate ? _replica.State : null;

    private static ControlResponse NoStateWithQuorum => Fail("this node does not hold the cluster state with quorum; try another node");

    /// <summary><c>palisade maintenance on|off</c>: the cluster keeps its hands off every group, or takes them back.</summary>
    private ControlResponse HandleMaintenance(ControlRequest r)
    {
        if (r.Action is not ("on" or "off"))
        {
            return Fail($"unknown action '{r.Action}' (expected on or off)");
        }

        if (StateWithQuorum() is not { } state)
        {
            return NoStateWithQuorum;
        }

        var on = r.Action == "on";
        if (state.Maintenance == on)
        {
            return new ControlResponse(true, $"maintenance is already {r.Action}");
        }

        var away = state.Nodes.Values.Where(n => n.LeftInMaintenance && n.State == NodeState.Unclean).Select(n => n.Name).ToList();
        var then = on ? "; palisaded may now be stopped on any node: its groups keep running"
            : away.Count == 0 ? ""
            : $"; warning: {string.Join(", ", away)} left during maintenance and is not back: it will be fenced before its groups are recovered";
        return SendOrPreview(new MaintenanceRequest(on, $"operator on {LocalNode}") { From = LocalNode, At = Time.GetUtcNow() }, r.DryRun, $"maintenance {r.Action}", then);
    }

    /// <summary><c>palisade node standby|online NODE</c>: the node is named in Target.</summary>
    private ControlResponse HandleNode(ControlRequest r)
    {
        if (r.Target is null || _config.FindNode(r.Target) is null)
        {
            return Fail($"unknown node '{r.Target}' (nodes: {string.Join(", ", _config.Nodes.Select(n => n.Name))})");
        }

        if (r.Action is not ("standby" or "online"))
        {
            return Fail($"unknown action '{r.Action}' (expected standby or online)");
        }

        if (StateWithQuorum() is not { } state)
        {
            return NoStateWithQuorum;
        }

        var standby = r.Action == "standby";
        var node = state.Nodes[r.Target];
        if (node.Standby == standby)
        {
            return new ControlResponse(true, $"{r.Target} is already {(standby ? "in standby" : "online (not in standby)")}");
        }

        var then = "";
        if (standby)
        {
            var stuck = _config.Groups.Where(g => state.Groups[g.Name] is { Node: { } owner, State: not GroupState.Offline } s && owner == r.Target
                    && !g.Nodes.Any(n => n != r.Target && state.MayPlace(s, n)))
                .Select(g => g.Name).ToList();
            then = stuck.Count == 0 ? "" : $"; warning: no other node can take {string.Join(", ", stuck)}: it keeps running on {r.Target}";
        }

        return SendOrPreview(new NodeStandbyRequest(r.Target, standby, $"operator on {LocalNode}") { From = LocalNode, At = Time.GetUtcNow() },
            r.DryRun, $"{r.Action} of {r.Target}", then);
    }

    /// <summary>
    /// Sends an operator's request, or for a dry run answers with what it would lead to (<see cref="WhatIf"/> on the
    /// live state, as the coordinator would plan it) and sends nothing.
    /// </summary>
    /// <param name="then">Said after "requested" once sent.</param>
    private ControlResponse SendOrPreview(NodeMessage request, bool dryRun, string what, string then = "")
    {
        if (!dryRun)
        {
            Send(request);
            return new ControlResponse(true, $"{what} requested{then}");
        }

        var now = Time.GetUtcNow();
        var context = (_lastPlanContext ?? new PlanContext(LocalNode, _quorate, now, now)) with { Quorate = _quorate, Now = now };
        var preview = WhatIf.Of(_live.Current, _replica.State!, request, context);
        var orders = preview.Steps.Length == 1 ? "1 order" : $"{preview.Steps.Length} orders";
        return new ControlResponse(true, $"dry run: the {what} would lead to {orders}; nothing was sent", Preview: preview);
    }

    private static ControlResponse Fail(string error) => new(false, Error: error);
}
