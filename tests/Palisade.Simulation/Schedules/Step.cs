using System.Collections.Immutable;
using System.Globalization;
using Palisade.Simulation.World;

namespace Palisade.Simulation.Schedules;

internal enum StepKind
{
    PowerOff,
    PowerOn,
    KillDaemon,
    StartDaemon,
    TerminateDaemon,
    KillCorosync,
    StartCorosync,
    SplitInterconnect,
    SplitAdmin,
    AdminLoss,
    AdminDelay,
    ResourceFault,
    ResourceCrash,
    ShutdownFault,
    ClockJump,
    QuorumBusy,
    SendBusy,
    Operator,
    HealAll,

    /// <summary>The listed monitor of a group fails, hangs or raises a false alarm on a node (until the heal).</summary>
    MonitorFault,

    /// <summary>
    /// A message that <see cref="Step.Subject"/> is down reaches the intake of <see cref="Step.Node"/> (empty: the first
    /// running node other than the subject): true after a power-off, or late, repeated, or wrong.
    /// </summary>
    DownReport,
}

/// <summary>One scheduled event of a run. Fields that a kind does not use stay empty.</summary>
internal sealed record Step(TimeSpan At, StepKind Kind)
{
    public string Node { get; init; } = "";

    /// <summary>Group (resource faults, operator), or the fenced node (shutdown faults).</summary>
    public string Subject { get; init; } = "";

    public ImmutableArray<int> Sides { get; init; } = [];

    public AgentAction Action { get; init; }

    public AgentFault Fault { get; init; }

    /// <summary>start, stop or move (operator); the target of a move in <see cref="To"/>.</summary>
    public string Verb { get; init; } = "";

    public string? To { get; init; }

    public TimeSpan Span { get; init; }

    public double Rate { get; init; }

    public override string ToString()
    {
        var at = At.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s";
        var detail = Kind switch
        {
            StepKind.SplitInterconnect or StepKind.SplitAdmin => string.Join("", Sides),
            StepKind.ResourceFault => $"{Node} {Subject} {Action} {Fault}",
            StepKind.ShutdownFault => $"{Node}->{Subject} {Action} {Fault}",
            StepKind.ResourceCrash => $"{Node} {Subject}",
            StepKind.MonitorFault => $"{Node} {Subject} {Fault}",
            StepKind.DownReport => $"{Subject} to {(Node.Length == 0 ? "any" : Node)}",
            StepKind.ClockJump => $"{Node} {Span.TotalSeconds:+0.0;-0.0}s",
            StepKind.QuorumBusy or StepKind.SendBusy => $"{Node} {Span.TotalSeconds:0.0}s",
            StepKind.AdminLoss => $"{Rate:0.00} for {Span.TotalSeconds:0.0}s",
            StepKind.AdminDelay => $"up to {Span.TotalSeconds:0.0}s",
            StepKind.Operator => $"on {Node}: {Verb} {Subject}{(To is null ? "" : " to " + To)}",
            StepKind.HealAll => "",
            _ => Node,
        };
        return $"{at} {Kind} {detail}".TrimEnd();
    }
}
