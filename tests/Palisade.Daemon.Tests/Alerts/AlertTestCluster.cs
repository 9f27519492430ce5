using System.Collections.Immutable;
using Palisade.Configuration;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Palisade.Daemon.Alerts;

namespace Palisade.Daemon.Tests.Alerts;

/// <summary>A 3-node cluster with group web (vip, svc) and two alerts, and states to derive events from.</summary>
internal static class AlertTestCluster
{
    public static readonly DateTimeOffset T0 = new(2026, 12, 5, 1, 0, 0, TimeSpan.Zero);

    public static readonly ClusterConfig Config = ConfigLoader.Parse("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
          - {name: n2, id: 2, interconnect: 10.0.0.2}
          - {name: n3, id: 3, interconnect: 10.0.0.3}
        groups:
          - name: web
            nodes: [n1, n2, n3]
            resources:
              - {name: vip, type: exec, start: "true", stop: "true", monitor_interval: 5s}
              - {name: svc, type: exec, start: "true", stop: "true"}
        alerts:
          - {name: file, type: agent, path: /bin/true, recipients: [/tmp/a.log, /tmp/b.log]}
          - {name: hook, type: webhook, url: "http://127.0.0.1:9/x", select: [fencing, attributes]}
        """, "test.yaml").Config!;

    /// <summary>Every node Online and a member, web Online on <paramref name="webOn"/>, at <paramref name="version"/>.</summary>
    public static ClusterState Running(long version, string webOn = "n1")
    {
        var s = ClusterState.Initial(Config);
        return s with
        {
            Version = version,
            Nodes = s.Nodes.ToImmutableSortedDictionary(n => n.Key, n => n.Value with { State = NodeState.Online, Reason = "member" }),
            Members = [1, 2, 3],
            Groups = s.Groups.SetItem("web", s.Groups["web"] with
            {
                State = GroupState.Online, Node = webOn,
                Resources = s.Groups["web"].Resources.ToImmutableSortedDictionary(r => r.Key, _ => ResourceState.Started),
            }),
        };
    }

    public static ClusterState WithNode(this ClusterState s, string node, NodeState state, bool member) => s with
    {
        Nodes = s.Nodes.SetItem(node, s.Nodes[node] with { State = state, Reason = state.ToString() }),
        Members = member ? s.Members.Add(s.Nodes[node].Id) : s.Members.Remove(s.Nodes[node].Id),
    };

    public static ClusterState Next(this ClusterState s) => s with { Version = s.Version + 1 };

    public static FenceRecord Fence(string target, string by, FenceResult result) =>
        new(by, target, "1:ipmi", "off", T0, 42, result, "confirmed off");

    public static AlertEvent Event(long sequence, string owner = "n1", AlertKind kind = AlertKind.Node) =>
        new(sequence, kind, "n2", 2, "member", T0, owner, ImmutableSortedDictionary<string, string>.Empty);
}
