using System.Collections.Immutable;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Daemon.Api;

/// <summary>What kind of failure an incident follows.</summary>
internal enum IncidentKind
{
    /// <summary>A node was lost or made Unclean: membership, fence, then its groups elsewhere.</summary>
    Node,

    /// <summary>A resource of a group failed where it runs: recovery in place or elsewhere.</summary>
    Group,
}

/// <summary>One step of an incident, by this node's clock when it applied the change.</summary>
/// <param name="Phase">detected, membership, fence_requested, fence_confirmed, recovery_ordered, stop_ordered, stopped, start_ordered, resource_started, online, gave_up, back</param>
internal sealed record IncidentPhase(string Phase, DateTimeOffset At, long Version, string Detail);

/// <summary>A failure and what the cluster did about it, phase by phase, until its groups ran again.</summary>
internal sealed record Incident(string Id, IncidentKind Kind, string Subject, string Cause, DateTimeOffset Detected, ImmutableArray<string> Groups, ImmutableArray<IncidentPhase> Phases)
{
    public DateTimeOffset? Closed { get; init; }

    /// <summary>How it ended: the groups Online again, given up, the node back, or still open.</summary>
    public string Outcome { get; init; } = "open";

    public TimeSpan? Duration => Closed - Detected;
}

/// <summary>
/// Builds failover timelines from the state changes this node applies: an incident opens when an Online node becomes
/// Unclean, Fencing or Fenced (a node incident) or a resource of an Online group fails (a group incident), collects
/// each phase (membership, fence requested, fence confirmed, each group's start ordered, each resource started, the
/// group Online) and closes when every group it concerns runs again or has nowhere to go. Times are this node's clock
/// at the moment it applied each change, so durations within one incident are comparable. Thread-safe; keeps the
/// last <see cref="Kept"/> incidents.
/// </summary>
internal sealed class IncidentTracker(TimeSpan? giveUpAfter = null)
{
    public const int Kept = 100;

    /// <summary>Phases timed by the histogram <c>palisade_failover_phase_seconds</c>, from detection, for node incidents.</summary>
    public static readonly ImmutableArray<string> TimedPhases = ["membership", "fence_requested", "fence_confirmed", "start_ordered", "resource_started", "online"];

    private readonly Lock _gate = new();
    private readonly TimeSpan _giveUpAfter = giveUpAfter ?? TimeSpan.FromMinutes(10);
    private readonly List<Incident> _incidents = [];
    private readonly Dictionary<string, Histogram> _phases = new(StringComparer.Ordinal);

    /// <summary>Upper bounds of the phase histogram's buckets, in seconds (then +Inf).</summary>
    public static readonly ImmutableArray<double> Buckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    /// <summary>For each timed phase, how long after detection it came in the node incidents that ended recovered.</summary>
    public IReadOnlyList<(string Phase, HistogramSnapshot Seconds)> PhaseHistograms()
    {
        lock (_gate)
        {
            return [.. TimedPhases.Where(_phases.ContainsKey).Select(p => (p, _phases[p].Snapshot()))];
        }
    }

    /// <summary>The incidents kept, newest first.</summary>
    public ImmutableArray<Incident> Snapshot()
    {
        lock (_gate)
        {
            return [.. Enumerable.Reverse(_incidents)];
        }
    }

    /// <summary>One applied change: the state before and after <paramref name="message"/>, at this node's <paramref name="now"/>.</summary>
    public void Observe(ClusterState before, ClusterState after, ClusterMessage message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        lock (_gate)
        {
            Open(before, after, message, now);
            for (var i = 0; i < _incidents.Count; i++)
            {
                if (_incidents[i].Closed is null)
                {
                    _incidents[i] = Close(Advance(_incidents[i], before, after, message, now), after, now);
                }
            }

            while (_incidents.Count > Kept)
            {
                _incidents.RemoveAt(0);
            }
        }
    }

    private void Open(ClusterState before, ClusterState after, ClusterMessage message, DateTimeOffset now)
    {
        foreach (var node in after.Nodes.Values)
        {
            var was = before.Nodes.GetValueOrDefault(node.Name);
            if (was is { State: NodeState.Online } && node.State is NodeState.Unclean or NodeState.Fencing or NodeState.Fenced
                && !_incidents.Any(i => i.Closed is null && i.Kind == IncidentKind.Node && i.Subject == node.Name))
            {
                var groups = before.GroupsOn(node.Name).Select(g => g.Name).ToImmutableArray();
                var phases = ImmutableArray.Create(new IncidentPhase("detected", now, after.Version, $"{node.Name} {node.State}: {node.Reason}"));
                _incidents.Add(new Incident($"{after.Version}-{node.Name}", IncidentKind.Node, node.Name, node.Reason, now, groups, phases));
            }
        }

        var failed = message switch
        {
            ResourceFailed f => (f.Group, Why: $"{f.Resource} failed on {f.Node}: {f.Reason}"),
            RecoveryOrdered r => (r.Group, Why: $"monitor {r.Monitor}: error on {r.Node}: {r.Reason}"),
            _ => default,
        };
        if (failed.Group is { } group && before.Groups.GetValueOrDefault(group) is { State: GroupState.Online }
            && !_incidents.Any(i => i.Closed is null && i.Groups.Contains(group)))
        {
            var phases = ImmutableArray.Create(new IncidentPhase("detected", now, after.Version, failed.Why));
            _incidents.Add(new Incident($"{after.Version}-{group}", IncidentKind.Group, group, failed.Why, now, [group], phases));
        }
    }

    private static Incident Advance(Incident incident, ClusterState before, ClusterState after, ClusterMessage message, DateTimeOffset now)
    {
        var phase = message switch
        {
            MembershipChanged m when incident.Kind == IncidentKind.Node && m.Left.Any(l => after.NodeById(l.NodeId)?.Name == incident.Subject) =>
                ("membership", $"{incident.Subject} left the membership"),
            FenceStarted f when f.Target == incident.Subject => ("fence_requested", $"fence {f.Target} by {f.Executor}: {f.Reason}"),
            RecoveryOrdered r when incident.Groups.Contains(r.Group) => ("recovery_ordered", $"{r.Rung.ToString().ToLowerInvariant()} of {r.Group} on {r.Node}: {r.Reason}"),
            GroupStopOrdered s when incident.Groups.Contains(s.Group) => ("stop_ordered", $"stop {s.Group} on {s.Node}: {s.Reason}"),
            GroupStopped s when incident.Groups.Contains(s.Group) => ("stopped", $"{s.Group} stopped on {s.Node}"),
            GroupStartOrdered s when incident.Groups.Contains(s.Group) => ("start_ordered", $"start {s.Group} on {s.Node}: {s.Reason}"),
            ResourceReport { State: ResourceState.Started } r when incident.Groups.Contains(r.Group) => ("resource_started", $"{r.Group}/{r.Resource} started on {r.Node}"),
            GroupStarted s when incident.Groups.Contains(s.Group) => ("online", $"{s.Group} Online on {s.Node}"),
            GroupGaveUp g when incident.Groups.Contains(g.Group) => ("gave_up", $"{g.Group}: {g.Reason}"),
            _ => default,
        };

        var node = incident.Kind == IncidentKind.Node ? after.Nodes.GetValueOrDefault(incident.Subject) : null;
        var wasNode = incident.Kind == IncidentKind.Node ? before.Nodes.GetValueOrDefault(incident.Subject) : null;
        var phases = incident.Phases;
        if (node is { State: NodeState.Fenced } && wasNode is not { State: NodeState.Fenced })
        {
            phases = phases.Add(new IncidentPhase("fence_confirmed", now, after.Version, $"{incident.Subject} confirmed off: {node.Reason}"));
        }
        else if (node is { State: NodeState.Online } && wasNode is { State: not NodeState.Online })
        {
            phases = phases.Add(new IncidentPhase("back", now, after.Version, $"{incident.Subject} Online again: {node.Reason}"));
        }

        if (phase.Item1 is { } name)
        {
            phases = phases.Add(new IncidentPhase(name, now, after.Version, phase.Item2));
        }

        // A restart or failover stops the group in the same step (StateMachine.StopsAtOnce).
        if (message is RecoveryOrdered recovery && incident.Groups.FirstOrDefault(g => before.Groups.GetValueOrDefault(g) is { State: GroupState.Online }
                && after.Groups.GetValueOrDefault(g) is { State: GroupState.Stopping }) is { } stopped)
        {
            phases = phases.Add(new IncidentPhase("stop_ordered", now, after.Version, $"stop {stopped} on {recovery.Node}: {after.Groups[stopped].Reason}"));
        }

        return incident with { Phases = phases };
    }

    private Incident Close(Incident incident, ClusterState after, DateTimeOffset now)
    {
        var groups = incident.Groups.Select(g => after.Groups.GetValueOrDefault(g)).Where(g => g is not null).ToList();
        var settled = incident.Kind == IncidentKind.Node
            ? incident.Phases.Any(p => p.Phase is "fence_confirmed" or "back")
            : incident.Phases.Any(p => p.Phase is "recovery_ordered" or "stop_ordered" or "gave_up");
        string? outcome = null;
        if (settled && groups.All(g => g!.State == GroupState.Online && (incident.Kind == IncidentKind.Group || g.Node != incident.Subject || incident.Phases.Any(p => p.Phase == "back"))))
        {
            outcome = groups.Count == 0 ? "no group to recover" : "recovered: " + string.Join(", ", groups.Select(g => $"{g!.Name} Online on {g.Node}"));
        }
        else if (settled && groups.Any(g => g!.State == GroupState.Failed) && groups.All(g => g!.State is GroupState.Online or GroupState.Failed))
        {
            outcome = "ended with " + string.Join(", ", groups.Where(g => g!.State == GroupState.Failed).Select(g => $"{g!.Name} Failed"));
        }
        else if (now - incident.Detected > _giveUpAfter)
        {
            outcome = $"unfinished after {_giveUpAfter.TotalSeconds:0} s";
        }

        if (outcome is null)
        {
            return incident;
        }

        var closed = incident with { Closed = now, Outcome = outcome };
        if (closed.Kind == IncidentKind.Node && outcome.StartsWith("recovered", StringComparison.Ordinal))
        {
            foreach (var name in TimedPhases)
            {
                if (closed.Phases.FirstOrDefault(p => p.Phase == name) is { } first)
                {
                    if (!_phases.TryGetValue(name, out var histogram))
                    {
                        _phases[name] = histogram = new Histogram(Buckets);
                    }

                    histogram.Observe((first.At - closed.Detected).TotalSeconds);
                }
            }
        }

        return closed;
    }
}
