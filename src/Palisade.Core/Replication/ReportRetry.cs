using System.Collections.Concurrent;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Core.Replication;

/// <summary>
/// Remembers the last outcome this node reported for each group, so that a report lost on a failed send is sent
/// again until the replicated state shows it applied: the coordinator waits on these reports.
/// </summary>
public sealed class ReportRetry
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (NodeMessage Report, DateTimeOffset SentAt)> _last = new(StringComparer.Ordinal);

    /// <summary>Notes a report as it is sent.</summary>
    public void Sent(NodeMessage report, DateTimeOffset now)
    {
        if (GroupOf(report) is { } group)
        {
            _last[group] = (report, now);
        }
    }

    /// <summary>
    /// Reports the state has not applied yet (the group still waits in the step the report ends), older than
    /// <see cref="Interval"/>, of groups with no job running here; each is noted as sent again.
    /// </summary>
    public IReadOnlyList<NodeMessage> Due(ClusterState state, string local, Func<string, bool> busy, DateTimeOffset now)
    {
        var due = new List<NodeMessage>();
        foreach (var (group, (report, sentAt)) in _last)
        {
            if (now - sentAt < Interval || busy(group) || !state.Groups.TryGetValue(group, out var status) || status.Node != local)
            {
                continue;
            }

            var waiting = report switch
            {
                GroupStarted or GroupStartFailed => status.State == GroupState.Starting,
                GroupStopped or GroupStopFailed => status.State == GroupState.Stopping,
                _ => false,
            };
            if (waiting)
            {
                var again = report with { At = now };
                _last[group] = (again, now);
                due.Add(again);
            }
        }

        return due;
    }

    private static string? GroupOf(NodeMessage report) => report switch
    {
        GroupStarted m => m.Group,
        GroupStartFailed m => m.Group,
        GroupStopped m => m.Group,
        GroupStopFailed m => m.Group,
        _ => null,
    };
}
