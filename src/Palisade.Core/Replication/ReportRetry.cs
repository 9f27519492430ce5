using System.Collections.Concurrent;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Core.Replication;

/// <summary>
/// Remembers the last outcome this node reported for each group, and each resource failure its monitors reported,
/// so that a report lost on a failed send is sent again until the replicated state shows it applied: the coordinator
/// waits on these reports, and a lost failure would leave a dead group Online for good.
/// </summary>
public sealed class ReportRetry
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, (NodeMessage Report, DateTimeOffset SentAt)> _last = new(StringComparer.Ordinal);

    /// <summary>Notes a report as it is sent. An outcome of a group ends whatever failure of it was still pending.</summary>
    public void Sent(NodeMessage report, DateTimeOffset now)
    {
        if (GroupOf(report) is not { } group)
        {
            return;
        }

        if (report is not ResourceFailed)
        {
            foreach (var key in _last.Keys.Where(k => k.StartsWith(group + "/", StringComparison.Ordinal)))
            {
                _last.TryRemove(key, out _);
            }
        }

        _last[KeyOf(report, group)] = (report, now);
    }

    /// <summary>
    /// Reports the state has not applied yet (the group still waits in the step the report ends, or still shows the
    /// failed resource as working), older than <see cref="Interval"/>, of groups with no job running here; each is
    /// noted as sent again.
    /// </summary>
    public IReadOnlyList<NodeMessage> Due(ClusterState state, string local, Func<string, bool> busy, DateTimeOffset now)
    {
        var due = new List<NodeMessage>();
        foreach (var (key, (report, sentAt)) in _last)
        {
            var group = GroupOf(report)!;
            if (now - sentAt < Interval || busy(group) || !state.Groups.TryGetValue(group, out var status))
            {
                continue;
            }

            // A stop of a group placed elsewhere, which this node's probe could not tell about.
            var mustStop = state.Nodes.TryGetValue(local, out var me) && me.MustStop.Contains(group);
            if (status.Node != local && !(mustStop && report is GroupStopped or GroupStopFailed))
            {
                continue;
            }

            var waiting = report switch
            {
                GroupStopped when mustStop => true,
                GroupStopFailed when mustStop => me!.State == NodeState.Online,
                GroupStarted or GroupStartFailed => status.State == GroupState.Starting,
                // Online too: a stop this node made on its own (quorum lost) that the state never heard of.
                GroupStopped => status.State is GroupState.Stopping or GroupState.Online,
                // Starting too: a start that failed and whose roll-back could not stop what it had started.
                GroupStopFailed => status.State is GroupState.Stopping or GroupState.Online or GroupState.Starting,
                ResourceFailed f => status.State == GroupState.Online
                    && status.Resources.TryGetValue(f.Resource, out var resource) && resource != ResourceState.Failed,
                _ => false,
            };
            if (waiting)
            {
                var again = report with { At = now };
                _last[key] = (again, now);
                due.Add(again);
            }
            else if (report is ResourceFailed && !(status.State == GroupState.Starting && status.Node == local))
            {
                // Applied, or overtaken by what happened to the group since. While the group's start here is not
                // applied yet (its report lost on a failed send too, say), the failure waits for it (seed 13015493).
                _last.TryRemove(key, out _);
            }
        }

        return due;
    }

    private static string KeyOf(NodeMessage report, string group) => report is ResourceFailed f ? $"{group}/{f.Resource}" : group;

    private static string? GroupOf(NodeMessage report) => report switch
    {
        GroupStarted m => m.Group,
        GroupStartFailed m => m.Group,
        GroupStopped m => m.Group,
        GroupStopFailed m => m.Group,
        ResourceFailed m => m.Group,
        _ => null,
    };
}
