using Palisade.Core.Configuration;
using Palisade.Core.State;

namespace Palisade.Core.Status;

public static class StatusBuilder
{
    public static StatusReport Build(
        ClusterConfig config,
        ClusterState? state,
        string localNode,
        bool quorate,
        string phase,
        IReadOnlyList<string> waiting)
    {
        if (state is null)
        {
            var unknown = config.Nodes
                .Select(n => new NodeReport(n.Name, n.Id, "Unknown", n.Name == localNode, false, "state not received yet", null))
                .ToList();
            return new StatusReport(config.Name, localNode, quorate, null, phase, 0, unknown, [], waiting);
        }

        var nodes = config.Nodes.Select(n =>
        {
            var s = state.Nodes[n.Name];
            return new NodeReport(n.Name, n.Id, s.State.ToString(), n.Name == localNode, state.Members.Contains(n.Id), s.Reason, s.Since)
            {
                Standby = s.Standby,
                StandbyBy = s.Standby ? s.StandbyBy : null,
            };
        }).ToList();
        var groups = config.Groups.Select(g =>
        {
            var s = state.Groups[g.Name];
            var resources = g.Resources
                .Select(r => new ResourceReportLine(r.Name, Kind(r), s.Resources.GetValueOrDefault(r.Name).ToString()))
                .ToList();
            return new GroupReport(g.Name, s.State.ToString(), s.Node, s.Target.ToString(), s.MoveTo, s.Reason, s.Since, resources) { FailedOn = [.. s.FailedOn] };
        }).ToList();
        return new StatusReport(config.Name, localNode, quorate, state.Coordinator?.Name, phase, state.Version, nodes, groups, waiting)
        {
            Monitors = Monitors(config, state),
            Maintenance = state.Maintenance,
            Reachability = [.. state.Reachability.SelectMany(t => t.Value.Select(p => new ReachabilityRow(t.Key, p.Target, p.Index, p.Agent, p.Result, p.LastWorked)))],
            MaintenanceBy = state.Maintenance ? state.MaintenanceBy : null,
        };
    }

    /// <summary>
    /// The resources' own monitors (<c>GROUP/RESOURCE</c>): Error where one detected an error not yet cleaned up,
    /// Normal where the group is active, Offline elsewhere; then the monitors of the <c>monitors:</c> list: what each
    /// node reported, Offline where it does not run (not placed there, or timing active and its target not there),
    /// Unknown on a node that is not an Online member.
    /// </summary>
    private static List<MonitorReport> Monitors(ClusterConfig config, ClusterState state) =>
    [
        .. config.Groups.SelectMany(g => g.Resources.Where(r => r.MonitorInterval > TimeSpan.Zero).Select(r =>
        {
            var name = ResourceConfig.MonitorName(g.Name, r.Name);
            var status = state.Groups[g.Name];
            var monitor = state.Monitors.GetValueOrDefault(name) ?? new MonitorStatus { Name = name };
            var perNode = g.Nodes.ToDictionary(n => n, n =>
            {
                var on = monitor.On(n);
                var active = status.Node == n && status.State is GroupState.Online or GroupState.Starting or GroupState.Stopping;
                return (on.Health is MonitorHealth.Error or MonitorHealth.Suspended ? on.Health : active ? on.Health : MonitorHealth.Offline).ToString();
            });
            return Report(name, "resource", monitor, perNode, r.Recovery);
        })),
        .. config.Monitors.Select(m =>
        {
            var g = config.FindGroup(m.Target)!;
            var status = state.Groups.GetValueOrDefault(g.Name);
            var monitor = state.Monitors.GetValueOrDefault(m.Name) ?? new MonitorStatus { Name = m.Name };
            var runsOn = m.NodesFor(g);
            var perNode = g.Nodes.ToDictionary(n => n, n =>
            {
                var on = monitor.On(n);
                var active = status is { State: GroupState.Online } && status.Node == n;
                return (!runsOn.Contains(n) ? MonitorHealth.Offline
                    : on.Health is MonitorHealth.Error or MonitorHealth.Suspended ? on.Health
                    : !state.IsHealthy(n) ? MonitorHealth.Unknown
                    : m.Timing == MonitorTiming.Active && !active ? MonitorHealth.Offline
                    : on.Health).ToString();
            });
            return Report(m.Name, MonitorConfig.KindName(m.Kind), monitor, perNode, m.Recovery);
        }),
    ];

    private static MonitorReport Report(string name, string type, MonitorStatus monitor, Dictionary<string, string> perNode, RecoveryConfig rec)
    {
        var last = monitor.Nodes.Values.Where(n => n.Since is not null).OrderByDescending(n => n.Since).FirstOrDefault()?.Reason ?? "";
        var c = monitor.Counters;
        var counters = new MonitorCounters(c.Restarts, rec.RestartLimit, c.Failovers, rec.FailoverLimit, c.FinalActions, Planning.Recovery.FinalActionName(rec.FinalAction),
            c.Scripts, rec.Script is null ? 0 : rec.ScriptLimit);
        var recovery = $"restart {rec.RestartLimit}, failover {rec.FailoverLimit}, final {counters.FinalAction}"
            + (rec.ResetAfter is { } reset ? $", reset after {reset.TotalSeconds:0}s" : "");
        return new MonitorReport(name, type, perNode, last, counters, recovery);
    }

    private static string Kind(ResourceConfig r) => r.Kind == ResourceKind.Ocf ? $"ocf:{r.Agent}" : "exec";
}
