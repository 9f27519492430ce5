using System.Collections.Immutable;
using Palisade.Core.Configuration;

namespace Palisade.Daemon.Alerts;

/// <summary>
/// One alert event derived from a change of the replicated state. <see cref="Sequence"/> is the same on every node
/// that applied the change (<see cref="AlertSequence"/>), so receivers de-duplicate by it. <see cref="Owner"/> is the
/// node chosen, from the state after the change, to deliver it. <see cref="Fields"/> holds Pacemaker's names without
/// the <c>CRM_alert_</c> prefix (task, rc, target_rc, status, rsc, interval, attribute_name, attribute_value) and
/// Palisade's own (group, target, by, agent, result, monitor).
/// </summary>
internal sealed record AlertEvent(
    long Sequence,
    AlertKind Kind,
    string Node,
    uint NodeId,
    string Description,
    DateTimeOffset At,
    string Owner,
    ImmutableSortedDictionary<string, string> Fields)
{
    public string Field(string name) => Fields.GetValueOrDefault(name) ?? "";

    /// <summary>Pacemaker's name of the kind (<c>CRM_alert_kind</c>).</summary>
    public string KindName => Kind switch
    {
        AlertKind.Node => "node",
        AlertKind.Fencing => "fencing",
        AlertKind.Resource => "resource",
        _ => "attribute",
    };
}

/// <summary>
/// The cluster-wide sequence: the state version after the change times <see cref="PerChange"/>, plus the event's place
/// among the events of that change. Every node applies the same messages in the same order, so every node computes the
/// same number for the same event, and later changes have higher numbers.
/// </summary>
internal static class AlertSequence
{
    /// <summary>Events one change may yield; the ones past it are not sent (and logged).</summary>
    public const int PerChange = 1000;

    public static long Of(long version, int index) => (version * PerChange) + index;

    public static long VersionOf(long sequence) => sequence / PerChange;
}
