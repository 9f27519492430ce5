using System.Collections.Immutable;
using Palisade.Core.Messages;

namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// One event on the simulated ordered stream. Node messages go to the members of the sender's partition at send
/// time; a membership change is addressed to the one node whose view it describes; a quorum notice (no message)
/// tells one daemon that its partition gained quorum, after the membership changes queued for it before.
/// </summary>
internal sealed record BusEntry(
    long Seq,
    string? Sender,
    ClusterMessage? Message,
    ImmutableArray<(SimNode Node, int Incarnation)> Recipients);

/// <summary>A delivered message, in delivery order: what the tests read as "the bus log".</summary>
internal sealed record BusRecord(long Seq, DateTimeOffset At, string? Sender, ClusterMessage Message, ImmutableArray<string> DeliveredTo)
{
    public override string ToString() =>
        $"#{Seq} {At:HH:mm:ss.fff} {Sender ?? "corosync"} -> [{string.Join(",", DeliveredTo)}]: {Describe(Message)}";

    public static string Describe(ClusterMessage m) => m switch
    {
        MembershipChanged c => $"membership [{string.Join(",", c.Members)}] left [{string.Join(",", c.Left.Select(l => $"{l.NodeId}:{l.Reason}"))}] joined [{string.Join(",", c.Joined)}]",
        StateSnapshot s => $"snapshot v{s.State.Version} for [{string.Join(",", s.For)}]",
        StateDigest d => $"digest v{d.Version} {d.Hash}",
        ClusterSettled s => $"settled: {s.Reason}",
        GroupStartOrdered s => $"start {s.Group} on {s.Node}",
        GroupStopOrdered s => $"stop {s.Group} on {s.Node}",
        ResourceReport r => $"resource {r.Group}/{r.Resource} {r.State} on {r.Node}",
        GroupStarted s => $"started {s.Group} on {s.Node}",
        GroupStartFailed f => $"start of {f.Group} failed on {f.Node}",
        GroupStopped s => $"stopped {s.Group} on {s.Node}",
        GroupStopFailed f => $"stop of {f.Group} failed on {f.Node}",
        GroupGaveUp g => $"gave up {g.Group}",
        ResourceFailed f => $"resource {f.Group}/{f.Resource} failed on {f.Node}",
        FenceStarted f => $"fence {f.Target}",
        FenceCompleted f => $"fence {f.Target} {(f.Success ? "succeeded" : "failed")}",
        AdminRequest a => $"admin {a.Action} {a.Group}{(a.To is null ? "" : " to " + a.To)}",
        NodeLeaving => "leaving",
        _ => m.GetType().Name,
    };
}

/// <summary>Work an executor finishes later: it is dropped if the daemon that began it is gone by then.</summary>
internal sealed record SimJob(SimNode Node, int Incarnation, string What, Action Complete);
