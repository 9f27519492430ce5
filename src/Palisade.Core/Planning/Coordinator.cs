using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Core.State;

namespace Palisade.Core.Planning;

/// <summary>What the coordinator knows that is not in the replicated state.</summary>
/// <param name="Local">This node's name (the coordinator).</param>
/// <param name="Quorate">Corosync's quorum flag on this node.</param>
/// <param name="Now">This node's clock.</param>
/// <param name="SettleDeadline">When a forming cluster stops waiting for missing nodes.</param>
/// <param name="FenceHolds">Nodes whose fencing partition resolution holds back, until when and why.</param>
public sealed record PlanContext(string Local, bool Quorate, DateTimeOffset Now, DateTimeOffset SettleDeadline)
{
    public ImmutableDictionary<string, FenceHold> FenceHolds { get; init; } = ImmutableDictionary<string, FenceHold>.Empty;
}

/// <summary>Fencing of a node waits until <paramref name="Until"/> (a lighter partition gives the heavier one time to win).</summary>
public sealed record FenceHold(DateTimeOffset Until, string Reason);

/// <summary>One decision: a message to send, keyed so that a decision in flight is not sent twice.</summary>
public sealed record Decision(string Key, NodeMessage Message);

/// <summary>The decisions of one planning round, plus why nothing happened where nothing did.</summary>
public sealed record Plan(ImmutableArray<Decision> Decisions, ImmutableArray<string> Waiting)
{
    public static readonly Plan Empty = new([], []);
}

/// <summary>
/// Decides what the cluster should do next from the replicated state. Runs only on the coordinator, which sends its
/// decisions as messages, so every node sees them in order. Pure: same inputs, same plan.
/// </summary>
public static class Coordinator
{
    public static readonly TimeSpan MaxFenceBackoff = TimeSpan.FromSeconds(30);

    public static Plan Decide(ClusterConfig config, ClusterState state, PlanContext ctx)
    {
        if (!ctx.Quorate)
        {
            return new Plan([], ["no quorum: this partition neither fences nor starts anything"]);
        }

        if (state.Coordinator?.Name != ctx.Local)
        {
            return Plan.Empty;
        }

        var decisions = ImmutableArray.CreateBuilder<Decision>();
        var waiting = ImmutableArray.CreateBuilder<string>();
        PlanFencing(config, state, ctx, decisions, waiting);

        if (state.CoordinatesFencingOnly)
        {
            waiting.Add($"no healthy node in this partition: {ctx.Local} ({state.Nodes[ctx.Local].Reason}) only fences the other nodes; nothing is placed");
            return new Plan(decisions.ToImmutable(), waiting.ToImmutable());
        }

        if (!state.Settled)
        {
            var missing = config.Nodes.Where(n => !state.IsHealthy(n.Name)).Select(n => n.Name).ToList();
            if (missing.Count == 0 || ctx.Now >= ctx.SettleDeadline)
            {
                var why = missing.Count == 0
                    ? $"all {config.Nodes.Length} nodes joined"
                    : $"join window ended without {string.Join(", ", missing)}";
                decisions.Add(new Decision("settle", new ClusterSettled(why) { From = ctx.Local, At = ctx.Now }));
            }
            else
            {
                waiting.Add($"cluster forming: waiting for {string.Join(", ", missing)} until {ctx.SettleDeadline:HH:mm:ss}");
            }

            return new Plan(decisions.ToImmutable(), waiting.ToImmutable());
        }

        if (state.Maintenance)
        {
            waiting.Add($"maintenance (set by {state.MaintenanceBy}): nothing is started, stopped or recovered until 'palisade maintenance off'");
            return new Plan(decisions.ToImmutable(), waiting.ToImmutable());
        }

        foreach (var group in config.Groups)
        {
            if (state.Groups.TryGetValue(group.Name, out var status))
            {
                PlanGroup(config, group, status, state, ctx, decisions, waiting);
            }
        }

        return new Plan(decisions.ToImmutable(), waiting.ToImmutable());
    }

    private static void PlanFencing(ClusterConfig config, ClusterState state, PlanContext ctx, ImmutableArray<Decision>.Builder decisions, ImmutableArray<string>.Builder waiting)
    {
        foreach (var node in state.Nodes.Values)
        {
            var stalled = node.State == NodeState.Fencing && node.FencingBy is { } by && !CanFence(state, by);
            var overdue = node.State == NodeState.Fencing && !stalled && node.Since is { } began
                && config.FindNode(node.Name) is { } target && ctx.Now - began > StepDeadlines.Fence(target);
            stalled |= overdue;
            if (node.State != NodeState.Unclean && !stalled)
            {
                continue;
            }

            if (node.Name == ctx.Local)
            {
                // Never fence ourselves; the next coordinator will. With nobody else left (every other node confirmed
                // off or cleanly gone) there is no next coordinator, and nothing of ours can run anywhere else.
                if (state.IsSoleSurvivor(node.Name))
                {
                    decisions.Add(new Decision($"clear:{node.Name}", new NodeCleared(node.Name,
                        "every other node is confirmed off or left cleanly: what runs here is all that runs") { From = ctx.Local, At = ctx.Now }));
                }

                continue;
            }

            if (state.Maintenance && node.KillRequestedBy is null)
            {
                waiting.Add($"{node.Name}: not fenced during maintenance ({node.Reason})");
                continue;
            }

            if (node.State == NodeState.Unclean && state.Members.Contains(node.Id) && !node.Probed)
            {
                // It came back: its probe tells whether it restarted cleanly (nothing to fence) or still runs things.
                waiting.Add($"{node.Name} rejoined while Unclean: waiting for its probe before fencing it");
                continue;
            }

            var retryAt = node.LastFenceAttempt + Backoff(node.FenceFailures);
            if (node.FenceFailures > 0 && retryAt > ctx.Now)
            {
                waiting.Add($"{node.Name}: fencing failed {node.FenceFailures} time(s), retry at {retryAt:HH:mm:ss.f}");
                continue;
            }

            if (ctx.FenceHolds.TryGetValue(node.Name, out var hold) && hold.Until > ctx.Now)
            {
                waiting.Add($"{node.Name}: fencing held until {hold.Until:HH:mm:ss.f}: {hold.Reason}");
                continue;
            }

            var executor = CanFence(state, ctx.Local)
                ? ctx.Local
                : state.Members.Select(state.NodeById).FirstOrDefault(n => n is not null && n.Name != node.Name && CanFence(state, n.Name))?.Name;
            if (executor is null)
            {
                waiting.Add($"{node.Name}: no healthy node of this partition runs its shutdown daemon; nobody can fence it");
                continue;
            }

            var reason = overdue
                ? $"fencing of {node.Name} by {node.FencingBy} is overdue (no result within {StepDeadlines.Fence(config.FindNode(node.Name)!).TotalSeconds:0}s); fencing again"
                : stalled
                ? $"{node.Name} was being fenced by {node.FencingBy}, which left or stopped its shutdown daemon; fencing again"
                : $"{node.Name} is Unclean ({node.Reason})";
            var origin = node.KillRequestedBy is not null ? FenceOrigin.Requested
                : ctx.FenceHolds.ContainsKey(node.Name) ? FenceOrigin.Partition
                : FenceOrigin.Recovery;
            decisions.Add(new Decision($"fence:{node.Name}", new FenceStarted(node.Name, reason, executor, origin, node.PowerAction == NodePowerAction.Cycle, node.PowerAction == NodePowerAction.Dump && node.FenceFailures == 0) { From = ctx.Local, At = ctx.Now }));
        }
    }

    private static bool CanFence(ClusterState state, string node) =>
        (state.IsHealthy(node) || (state.CoordinatesFencingOnly && state.Coordinator?.Name == node)) && state.Nodes[node].ShutdownDaemon;

    /// <summary>The key of the decision a message carries out, so a decision is not sent again while in flight.</summary>
    public static string? KeyOf(ClusterMessage message) => message switch
    {
        FenceStarted f => $"fence:{f.Target}",
        GroupStartOrdered s => $"start:{s.Group}",
        GroupStopOrdered s => $"stop:{s.Group}",
        GroupGaveUp g => $"gaveup:{g.Group}",
        ClusterSettled => "settle",
        NodeUnresponsive u => $"unresponsive:{u.Node}",
        NodeCleared c => $"clear:{c.Node}",
        RecoveryOrdered r => $"recover:{r.Group}",
        RecoveryReset r => $"reset:{r.Monitor}",
        _ => null,
    };

    internal static TimeSpan Backoff(int failures) =>
        failures <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(MaxFenceBackoff.TotalSeconds, Math.Pow(2, failures - 1)));

    private static void PlanGroup(
        ClusterConfig config,
        GroupConfig group,
        GroupStatus status,
        ClusterState state,
        PlanContext ctx,
        ImmutableArray<Decision>.Builder decisions,
        ImmutableArray<string>.Builder waiting)
    {
        switch (status.State)
        {
            case GroupState.Online when status.Node is { } owner:
                if (!state.IsHealthy(owner))
                {
                    waiting.Add($"group {group.Name}: waiting for {owner} ({state.Nodes[owner].State}) to be fenced");
                    return;
                }

                // An operator's stop outranks the recovery ladder: a restart or failover would start what was stopped.
                if (status.Target == GroupTarget.Stopped)
                {
                    decisions.Add(Stop(group.Name, owner, StopReason(group, status, owner, state)!, ctx));
                    return;
                }

                if (Recovery.Due(config, group, status, owner, state, ctx, out var recoveryWaits) is { } recovery)
                {
                    decisions.Add(recovery);
                    return;
                }

                if (recoveryWaits is not null)
                {
                    waiting.Add(recoveryWaits);
                }

                var stopWhy = StopReason(group, status, owner, state);
                if (stopWhy is not null)
                {
                    decisions.Add(Stop(group.Name, owner, stopWhy, ctx));
                }
                else if (state.Nodes[owner].Standby)
                {
                    waiting.Add($"group {group.Name}: {owner} is in standby, but no other node of [{string.Join(", ", group.Nodes)}] can take it: it keeps running there");
                }
                else if (Recovery.ResetDue(config, group, status, state, ctx) is { } reset)
                {
                    decisions.Add(reset);
                }

                return;
            case GroupState.Starting or GroupState.Stopping or GroupState.Failed when status.Node is { } busy:
                if (!state.IsHealthy(busy))
                {
                    waiting.Add($"group {group.Name}: {status.State} on {busy}, waiting for {busy} to be fenced");
                }
                else if (!state.Nodes[busy].Probed)
                {
                    // Taken back (cleared or restarted) and not yet probed: its probe says whether the step is done or
                    // orders it again with a fresh deadline; an old deadline must not make it Unclean meanwhile.
                    waiting.Add($"group {group.Name}: {status.State} on {busy}, waiting for {busy} to report what runs there");
                }
                else
                {
                    PlanOverdue(group, status, busy, ctx, decisions);
                }

                return;
            case GroupState.Offline when status.Target == GroupTarget.Started:
                PlanStart(group, status, state, ctx, decisions, waiting);
                return;
        }
    }

    private static string? StopReason(GroupConfig group, GroupStatus status, string owner, ClusterState state)
    {
        if (status.Target == GroupTarget.Stopped)
        {
            return status.TargetBy is { } by ? $"stop requested by {by}" : "stop requested";
        }

        if (status.FailedOn.Contains(owner))
        {
            return $"recovering: a resource failed on {owner}";
        }

        if (status.RestartOn == owner && !state.Nodes[owner].Standby)
        {
            return $"restarting in place on {owner}: a resource failed";
        }

        // Moved away only when another node can take it: a standby must not stop the one copy that runs (say so).
        if (state.Nodes[owner].Standby)
        {
            return CanMoveAway(group, state, status, owner) ? $"{owner} is in standby ({state.Nodes[owner].StandbyBy}): moving away" : null;
        }

        // Only a target that placement would pick: stopping for one that already failed to start would start the
        // group here again, then stop it again, forever.
        return status.MoveTo is { } to && to != owner && state.CanHost(to) && !status.FailedOn.Contains(to) ? $"moving to {to}" : null;
    }

    /// <summary>Another node of the group's list could take it now: healthy, not in standby, not failed or stopping it there.</summary>
    private static bool CanMoveAway(GroupConfig group, ClusterState state, GroupStatus status, string owner) =>
        group.Nodes.Any(n => n != owner && state.MayPlace(status, n));

    private static void PlanStart(
        GroupConfig group,
        GroupStatus status,
        ClusterState state,
        PlanContext ctx,
        ImmutableArray<Decision>.Builder decisions,
        ImmutableArray<string>.Builder waiting)
    {
        // A member that has not said what it runs might run this group already: start nothing until all have.
        // A member on its way out counts too: until it has reported, nobody knows what its shutdown is stopping.
        var unprobed = state.Nodes.Values.Where(n => n.State == NodeState.Online && state.Members.Contains(n.Id) && !n.Probed).Select(n => n.Name).ToList();
        if (unprobed.Count > 0)
        {
            waiting.Add($"group {group.Name}: waiting for {string.Join(", ", unprobed)} to report what runs there");
            return;
        }

        // A node that may run this group and is lost, never seen, or waiting to be fenced might run it now: nothing
        // that could start a second copy happens until it is fenced, confirmed down, or back and probed.
        if (UnsettledNodes(group, state) is { Count: > 0 } unsettled)
        {
            waiting.Add($"group {group.Name}: waiting for {string.Join(", ", unsettled)} to be fenced or to report: it may run {group.Name}");
            return;
        }

        var eligible = group.Nodes.Where(n => state.MayPlace(status, n)).ToList();
        string? target = status.RestartOn is { } again && eligible.Contains(again) ? again
            : status.MoveTo is { } to && eligible.Contains(to) ? to
            : eligible.FirstOrDefault();
        if (target is null)
        {
            if (group.Nodes.All(status.FailedOn.Contains))
            {
                var why = $"start failed on every node ({string.Join(", ", group.Nodes)}); run 'palisade group start {group.Name}' to retry";
                decisions.Add(new Decision($"gaveup:{group.Name}", new GroupGaveUp(group.Name, why) { From = ctx.Local, At = ctx.Now }));
            }
            else
            {
                var standby = group.Nodes.Where(n => state.IsHealthy(n) && state.Nodes[n].Standby).ToList();
                waiting.Add($"group {group.Name}: no eligible node is Online ({string.Join(", ", group.Nodes)})"
                    + (standby.Count == 0 ? "" : $"; in standby: {string.Join(", ", standby)}"));
            }

            return;
        }

        var reason = target == status.RestartOn ? $"restarting in place on {target}"
            : target == status.MoveTo
            ? $"moving to {target} as requested"
            : $"{target} is the first healthy node of [{string.Join(", ", group.Nodes)}]"
              + (status.FailedOn.IsEmpty ? "" : $" (failed on {string.Join(", ", status.FailedOn)})");
        decisions.Add(new Decision($"start:{group.Name}", new GroupStartOrdered(group.Name, target, reason) { From = ctx.Local, At = ctx.Now }));
    }

    /// <summary>
    /// A start with no report past its deadline is stopped there; a stop with no report past its deadline makes the
    /// node Unclean (it may still run the group), so it is fenced and the group recovered.
    /// </summary>
    private static void PlanOverdue(GroupConfig group, GroupStatus status, string node, PlanContext ctx, ImmutableArray<Decision>.Builder decisions)
    {
        if (status.Since is not { } since)
        {
            return;
        }

        var elapsed = ctx.Now - since;
        if (status.State == GroupState.Starting && elapsed > StepDeadlines.Start(group))
        {
            decisions.Add(Stop(group.Name, node, $"start on {node} overdue (no report within {StepDeadlines.Start(group).TotalSeconds:0}s): stopping it there", ctx));
        }
        else if (status.State == GroupState.Stopping && elapsed > StepDeadlines.Stop(group))
        {
            var why = $"stop of {group.Name} overdue (no report within {StepDeadlines.Stop(group).TotalSeconds:0}s): it may still run it";
            decisions.Add(new Decision($"unresponsive:{node}", new NodeUnresponsive(node, why) { From = ctx.Local, At = ctx.Now }));
        }
    }

    /// <summary>Nodes of <paramref name="group"/> that may run it without the state knowing: Unclean or being fenced.</summary>
    internal static List<string> UnsettledNodes(GroupConfig group, ClusterState state) =>
        [.. state.Nodes.Values.Where(n =>
            (group.Nodes.Contains(n.Name) && n.State is NodeState.Unclean or NodeState.Fencing)
            // A node whose probe could not tell whether it runs the group is stopping it there: until it reports the
            // stop (or fails it and is fenced), it may run it.
            || (n.MustStop.Contains(group.Name) && n.State is NodeState.Online or NodeState.Unclean or NodeState.Fencing))
            .Select(n => n.Name).Distinct()];

    private static Decision Stop(string group, string node, string reason, PlanContext ctx) =>
        new($"stop:{group}", new GroupStopOrdered(group, node, reason) { From = ctx.Local, At = ctx.Now });
}
