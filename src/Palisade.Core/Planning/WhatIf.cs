using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;

namespace Palisade.Core.Planning;

/// <summary>One order the coordinator would give in a preview, in the order it would give them.</summary>
/// <param name="Action">start, stop, fence, give-up, recovery, settle, clear or reset.</param>
/// <param name="Text">The order as the coordinator's log would say it, with its reason.</param>
public sealed record PreviewStep(string Action, string? Group, string? Node, string Text);

/// <summary>What a request would lead to: the changes it makes to the state, then the coordinator's orders.</summary>
/// <param name="Changes">What applying the request itself changes (the state machine's notes).</param>
/// <param name="Steps">The coordinator's orders, assuming each one works.</param>
/// <param name="Waiting">Why the coordinator would wait where it would (nothing placed, a fence held).</param>
public sealed record Preview(ImmutableArray<string> Changes, ImmutableArray<PreviewStep> Steps, ImmutableArray<string> Waiting);

/// <summary>
/// A what-if on the live state (a dry run): applies the request to a copy of the replicated state and runs the
/// coordinator on it round after round, taking each order as done (a stop stopped, a start started, a fence worked),
/// until it orders nothing more. Nothing is sent; the state is not touched. Pure.
/// </summary>
public static class WhatIf
{
    /// <summary>Rounds after which a preview ends even if the coordinator still orders something.</summary>
    public const int MaxRounds = 16;

    public static Preview Of(ClusterConfig config, ClusterState state, NodeMessage request, PlanContext context)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var applied = StateMachine.Apply(config, state, request);
        var steps = ImmutableArray.CreateBuilder<PreviewStep>();
        var waiting = new List<string>();
        var current = applied.State;
        for (var round = 0; round < MaxRounds; round++)
        {
            // Every node plans as the coordinator would (the request may change which node that is): the preview is
            // the same on any node that holds the state.
            if (current.Coordinator?.Name is not { } coordinator)
            {
                waiting.Add("no coordinator in this partition: nothing would be ordered");
                break;
            }

            var ctx = context with { Local = coordinator };
            var plan = Coordinator.Decide(config, current, ctx);
            waiting.AddRange(plan.Waiting.Where(w => !waiting.Contains(w)));
            if (plan.Decisions.IsEmpty)
            {
                break;
            }

            var before = current;
            foreach (var decision in plan.Decisions)
            {
                steps.Add(Step(decision.Message));
                current = StateMachine.Apply(config, current, decision.Message).State;
                foreach (var outcome in AssumedOutcome(decision.Message, coordinator, ctx.Now))
                {
                    current = StateMachine.Apply(config, current, outcome).State;
                }
            }

            if (StateHasher.Hash(current with { Version = before.Version }) == StateHasher.Hash(before))
            {
                break; // the orders change nothing: the same ones would come again
            }
        }

        return new Preview(applied.Notes, steps.ToImmutable(), [.. waiting]);
    }

    /// <summary>An order as the coordinator's log says it.</summary>
    public static string Describe(NodeMessage message) => Step(message).Text;

    private static PreviewStep Step(NodeMessage m) => m switch
    {
        FenceStarted f => new("fence", null, f.Target, $"fence {f.Target}: {f.Reason}"),
        GroupStartOrdered s => new("start", s.Group, s.Node, $"start {s.Group} on {s.Node}: {s.Reason}"),
        GroupStopOrdered s => new("stop", s.Group, s.Node, $"stop {s.Group} on {s.Node}: {s.Reason}"),
        GroupGaveUp g => new("give-up", g.Group, null, $"give up on {g.Group}: {g.Reason}"),
        ClusterSettled s => new("settle", null, null, $"cluster settled: {s.Reason}"),
        RecoveryOrdered r => new("recovery", r.Group, r.Node, $"recovery {r.Monitor} on {r.Node}: {r.Rung.ToString().ToLowerInvariant()}: {r.Reason}"),
        NodeCleared c => new("clear", null, c.Node, $"clear {c.Node}: {c.Reason}"),
        RecoveryReset r => new("reset", null, null, $"reset the recovery counters of {r.Monitor}: {r.Reason}"),
        _ => new(m.GetType().Name, null, null, m.GetType().Name),
    };

    /// <summary>The report that would follow the order if it worked, sent by the node that carries it out.</summary>
    private static IEnumerable<NodeMessage> AssumedOutcome(NodeMessage order, string coordinator, DateTimeOffset now) => order switch
    {
        GroupStartOrdered s => [new GroupStarted(s.Group, s.Node) { From = s.Node, At = now }],
        GroupStopOrdered s => [new GroupStopped(s.Group, s.Node, "preview: assumed stopped") { From = s.Node, At = now }],
        FenceStarted f => [new FenceCompleted(f.Target, true, "preview", "preview: assumed fenced") { From = f.Executor ?? coordinator, At = now }],
        _ => [],
    };
}
