using System.Collections.Immutable;

namespace Palisade.Simulation.Schedules;

/// <summary>
/// A whole run: the cluster, the seed of the world's own randomness (durations, latencies, losses), the boot times
/// and the fault steps, ending with a step that heals everything; liveness is checked a bound after it.
/// </summary>
/// <remarks><paramref name="Monitored"/>: the cluster has a listed monitor on g1 and the schedule may fault it;
/// <paramref name="Ladder"/> picks its recovery (<see cref="SimClusters.Ladders"/>).</remarks>
internal sealed record Schedule(int Seed, string Cluster, ImmutableArray<Step> Steps, bool Monitored = false, int Ladder = 0)
{
    public TimeSpan HealAt => Steps.Where(s => s.Kind == StepKind.HealAll).Select(s => s.At).DefaultIfEmpty(TimeSpan.Zero).Max();

    public string Describe() => $"seed {Seed}, cluster {Cluster}{(Monitored ? $" with a listed monitor ({SimClusters.Ladders[Ladder].Name})" : "")}, {Steps.Length} steps:\n  " + string.Join("\n  ", Steps);

    /// <summary>Only the steps at these positions of the generated schedule (the final heal always stays).</summary>
    public Schedule Keep(IReadOnlySet<int> positions) =>
        this with { Steps = [.. Steps.Where((s, i) => positions.Contains(i) || s.Kind == StepKind.HealAll)] };

    /// <summary>Positions in <paramref name="generated"/> of the steps this schedule kept: the argument of --keep.</summary>
    public string PositionsIn(Schedule generated) =>
        string.Join(",", Steps.Where(s => s.Kind != StepKind.HealAll).Select(s => generated.Steps.IndexOf(s)));
}
