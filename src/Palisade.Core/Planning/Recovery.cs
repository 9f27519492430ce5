using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Core.Planning;

/// <summary>
/// The recovery ladder: each error a monitor detects where its group runs is answered by the next rung its counters
/// allow: restart in place, then fail over, then the final action. Pure: decided by the coordinator from the state.
/// </summary>
public static class Recovery
{
    /// <summary>
    /// The rung for the oldest unanswered error of a resource monitor of <paramref name="group"/> on its owner; null
    /// when none is due. A failover with nowhere to go is not skipped: the error stays unanswered and
    /// <paramref name="waiting"/> says what it waits for, so the group moves as soon as a node can take it.
    /// </summary>
    public static Decision? Due(ClusterConfig config, GroupConfig group, GroupStatus status, string owner, ClusterState state, PlanContext ctx, out string? waiting)
    {
        waiting = null;
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(state);
        foreach (var ladder in Ladders(config, group).Where(l => l.FailingOn(status, owner, state)))
        {
            var name = ladder.Monitor;
            if (state.Monitors.GetValueOrDefault(name) is not { } monitor || monitor.On(owner) is not { } on || on.Detections <= on.Handled)
            {
                continue;
            }

            var (rung, why, to) = NextRung(config, group, ladder.Recovery, monitor.Counters, status, owner, state);
            if (rung is null)
            {
                waiting = $"group {group.Name}: {name} failed on {owner}; {why}";
                return null;
            }

            var acted = ladder.Recovery.Scope == RecoveryScope.AllGroups ? RecoveryOrdered.AllGroups : group.Name;
            var message = new RecoveryOrdered(name, acted, owner, on.Detections, rung.Value, $"{why}; {on.Reason}", to) { From = ctx.Local, At = ctx.Now };
            return new Decision($"recover:{acted}", message);
        }

        return null;
    }

    /// <summary>
    /// The counters of a resource monitor whose group has run with every resource started for its reset_after since
    /// the last start after an error: reset, so the next error starts the ladder again.
    /// </summary>
    public static Decision? ResetDue(ClusterConfig config, GroupConfig group, GroupStatus status, ClusterState state, PlanContext ctx)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(state);
        if (status.State != GroupState.Online || status.Resources.Values.Any(r => r != ResourceState.Started))
        {
            return null;
        }

        foreach (var (name, recovery, _) in Ladders(config, group))
        {
            if (recovery.ResetAfter is { } after && state.Monitors.GetValueOrDefault(name) is { CleanSince: { } since } monitor
                && monitor.Counters != new RecoveryCounters() && ctx.Now - since >= after)
            {
                var why = $"{group.Name} has run without an error for {after.TotalSeconds:0}s (reset_after)";
                return new Decision($"reset:{name}", new RecoveryReset(name, why) { From = ctx.Local, At = ctx.Now });
            }
        }

        return null;
    }

    /// <summary>Whether the monitors of a group have used every rung and its final action is none: only an operator moves it on.</summary>
    public static bool Exhausted(ClusterConfig config, GroupConfig group, GroupStatus status, ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(state);
        return status.State == GroupState.Online && status.Node is { } owner && Ladders(config, group).Any(l =>
            l.FailingOn(status, owner, state)
            && state.Monitors.GetValueOrDefault(l.Monitor) is { } m
            && m.On(owner).Handled >= m.On(owner).Detections
            && (l.Recovery.Script is null || m.Counters.Scripts >= l.Recovery.ScriptLimit)
            && m.Counters.Restarts >= l.Recovery.RestartLimit
            && m.Counters.Failovers >= l.Recovery.FailoverLimit
            && l.Recovery.FinalAction == FinalAction.None);
    }

    /// <summary>One monitor that acts on a group, its ladder, and whether it shows a failure on a node.</summary>
    private sealed record Ladder(string Monitor, RecoveryConfig Recovery, Func<GroupStatus, string, ClusterState, bool> FailingOn);

    /// <summary>The monitors whose errors move <paramref name="group"/>: its resources' own, then those of the <c>monitors:</c> list.</summary>
    private static IEnumerable<Ladder> Ladders(ClusterConfig config, GroupConfig group)
    {
        foreach (var resource in group.Resources)
        {
            var name = resource.Name;
            yield return new Ladder(ResourceConfig.MonitorName(group.Name, name), resource.Recovery,
                (status, _, _) => status.Resources.GetValueOrDefault(name) == ResourceState.Failed);
        }

        foreach (var listed in config.Monitors.Where(m => m.Target == group.Name || m.Recovery.Scope == RecoveryScope.AllGroups))
        {
            var name = listed.Name;
            yield return new Ladder(name, listed.Recovery,
                (_, node, state) => state.Monitors.GetValueOrDefault(name)?.On(node).Health == MonitorHealth.Error);
        }
    }

    private static (RecoveryRung? Rung, string Why, string? To) NextRung(
        ClusterConfig config, GroupConfig group, RecoveryConfig recovery, RecoveryCounters counters, GroupStatus status, string owner, ClusterState state)
    {
        if (recovery.Script is not null && counters.Scripts < recovery.ScriptLimit)
        {
            return (RecoveryRung.Script, $"recovery script {counters.Scripts + 1} of {recovery.ScriptLimit}", null);
        }

        if (counters.Restarts < recovery.RestartLimit)
        {
            return (RecoveryRung.Restart, $"restart {counters.Restarts + 1} of {recovery.RestartLimit}", null);
        }

        // A failover needs somewhere to go: the first healthy node of the group's list that it has not failed on, in
        // the server group it leaves when it is in one. With none, the rung waits for one (null rung).
        var serverGroup = config.ServerGroupOf(owner);
        if (counters.Failovers < recovery.FailoverLimit)
        {
            var rung = $"failover {counters.Failovers + 1} of {recovery.FailoverLimit}";
            if (recovery.Scope == RecoveryScope.AllGroups)
            {
                // Every group active there goes, each to its own next node; the rung waits only if none can go.
                var movable = state.GroupsOn(owner).Where(g => g.State == GroupState.Online && config.FindGroup(g.Name) is { } c
                    && FailoverTarget(config, c, g, owner, state, recovery) is var (to, away) && (to ?? away) is not null).Select(g => g.Name).ToList();
                return movable.Count > 0
                    ? (RecoveryRung.Failover, $"{rung}, every group on {owner} ({string.Join(", ", movable)} can move)", null)
                    : (null, $"{rung} waits for a healthy node that can take a group active on {owner}", null);
            }

            var (to, outside) = FailoverTarget(config, group, status, owner, state, recovery);
            return (to, outside) switch
            {
                ({ } inside, _) => (RecoveryRung.Failover, serverGroup is null ? $"{rung}, to {inside}" : $"{rung}, to {inside} within server group {serverGroup.Name}", inside),
                (null, { } away) => (RecoveryRung.Failover, $"{rung}, to {away} outside server group {serverGroup!.Name} (none of its nodes can run it)", away),
                _ => (null, serverGroup is null
                    ? $"{rung} waits for a healthy node where it has not failed"
                    : $"{rung} waits for a healthy node of server group {serverGroup.Name} where it has not failed", null),
            };
        }

        if (recovery.FinalAction == FinalAction.None)
        {
            return (RecoveryRung.Exhausted, "restarts and failovers used up; final action none: the group stays as it is", null);
        }

        // A final action that takes the node down is only worth it when another node can take the group: else it
        // would leave the group running nowhere.
        // Able to run it as placement sees it: healthy, not a node it failed on, not one that must stop it first.
        if (recovery.FinalAction is not (FinalAction.StopGroup or FinalAction.StopResource or FinalAction.None)
            && !group.Nodes.Any(n => n != owner && state.MayPlace(status, n)))
        {
            return (RecoveryRung.Exhausted,
                $"restarts and failovers used up; final action {FinalActionName(recovery.FinalAction)} suppressed: no other node is Online to run {group.Name}; the group stays as it is", null);
        }

        return (RecoveryRung.Final, $"restarts and failovers used up; final action {FinalActionName(recovery.FinalAction)}", null);
    }

    /// <summary>
    /// Where a failover of <paramref name="group"/> from <paramref name="owner"/> goes: the first healthy node of its
    /// list it has not failed on, in the server group it leaves; <c>Outside</c> is one of another server group, when
    /// none is left in its own and the recovery allows it. Null: nowhere now.
    /// </summary>
    public static (string? To, string? Outside) FailoverTarget(ClusterConfig config, GroupConfig group, GroupStatus status, string owner, ClusterState state, RecoveryConfig recovery)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(recovery);
        var serverGroup = config.ServerGroupOf(owner);
        bool Candidate(string n) => n != owner && state.MayPlace(status, n);
        var to = group.Nodes.FirstOrDefault(n => Candidate(n) && (serverGroup is null || serverGroup.Nodes.Contains(n)));
        var outside = to is null && serverGroup is not null && recovery.FailoverOutsideServerGroup
            ? group.Nodes.FirstOrDefault(n => Candidate(n) && !serverGroup.Nodes.Contains(n))
            : null;
        return (to, outside);
    }

    /// <summary>The resource a ladder's restart or stop_resource acts on: its target, or the resource whose own monitor it is.</summary>
    public static string? ActedOnResource(ClusterConfig config, string monitor, RecoveryConfig recovery)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(monitor);
        ArgumentNullException.ThrowIfNull(recovery);
        var slash = monitor.IndexOf('/', StringComparison.Ordinal);
        return recovery.Resource ?? (config.FindMonitor(monitor) is null && slash > 0 ? monitor[(slash + 1)..] : null);
    }

    public static string FinalActionName(FinalAction action) => action switch
    {
        FinalAction.StopGroup => "stop_group",
        FinalAction.StopResource => "stop_resource",
        FinalAction.BmcPowerOff => "bmc_power_off",
        FinalAction.StopClusterService => "stop_cluster_service",
        FinalAction.StopClusterServiceAndShutdown => "stop_cluster_service_and_shutdown",
        FinalAction.StopClusterServiceAndReboot => "stop_cluster_service_and_reboot",
        FinalAction.BmcReset => "bmc_reset",
        FinalAction.BmcPowerCycle => "bmc_power_cycle",
        FinalAction.BmcNmi => "bmc_nmi",
        FinalAction.Panic => "panic",
        _ => "none",
    };

    /// <summary>The recovery settings of a monitor by its name: a resource's own (<c>GROUP/RESOURCE</c>) or one of the list.</summary>
    public static RecoveryConfig? ConfigOf(ClusterConfig config, string monitor)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.FindMonitor(monitor) is { } listed)
        {
            return listed.Recovery;
        }

        var slash = monitor.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && config.FindGroup(monitor[..slash]) is { } group
            ? group.Resources.FirstOrDefault(r => r.Name == monitor[(slash + 1)..])?.Recovery
            : null;
    }
}
