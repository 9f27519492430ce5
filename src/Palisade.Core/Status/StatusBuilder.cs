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
            return new NodeReport(n.Name, n.Id, s.State.ToString(), n.Name == localNode, state.Members.Contains(n.Id), s.Reason, s.Since);
        }).ToList();
        var groups = config.Groups.Select(g =>
        {
            var s = state.Groups[g.Name];
            var resources = g.Resources
                .Select(r => new ResourceReportLine(r.Name, Kind(r), s.Resources.GetValueOrDefault(r.Name).ToString()))
                .ToList();
            return new GroupReport(g.Name, s.State.ToString(), s.Node, s.Target.ToString(), s.MoveTo, s.Reason, s.Since, resources);
        }).ToList();
        return new StatusReport(config.Name, localNode, quorate, state.Coordinator?.Name, phase, state.Version, nodes, groups, waiting);
    }

    private static string Kind(ResourceConfig r) => r.Kind == ResourceKind.Ocf ? $"ocf:{r.Agent}" : "exec";
}
