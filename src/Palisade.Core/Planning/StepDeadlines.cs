using Palisade.Core.Configuration;

namespace Palisade.Core.Planning;

/// <summary>
/// How long a step in flight may take before the coordinator stops waiting for its report: the longest the agents
/// can take by their own timeouts, plus <see cref="Margin"/>. A report lost on the way, or a node whose palisaded
/// hangs, must not block the cluster forever.
/// </summary>
public static class StepDeadlines
{
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    /// <summary>Every resource started, then (a failed start) every one stopped again.</summary>
    public static TimeSpan Start(GroupConfig group) =>
        Sum(group.Resources.Select(r => r.StartTimeout + r.StopTimeout)) + Margin;

    public static TimeSpan Stop(GroupConfig group) => Sum(group.Resources.Select(r => r.StopTimeout)) + Margin;

    /// <summary>Every shutdown agent of the target's chain tried in turn.</summary>
    public static TimeSpan Fence(NodeConfig target) => Sum(target.ShutdownAgents.Select(a => a.Timeout)) + Margin;

    private static TimeSpan Sum(IEnumerable<TimeSpan> spans) => spans.Aggregate(TimeSpan.Zero, (a, b) => a + b);
}
