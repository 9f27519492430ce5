using System.Globalization;
using System.Text;

namespace Palisade.Bench;

/// <summary>Cluster files for the benchmarks: nodes with chosen agent chains and weights, optionally the demo's group.</summary>
internal static class BenchCluster
{
    public const string Group = "web";

    /// <summary>
    /// Node i (1-based) is <c>{prefix}{i}</c> with id i and interconnect 198.18.0.(10+i) (the lab's own addresses);
    /// <paramref name="chains"/>[i-1] is its agent list. With <paramref name="withGroup"/> the demo's group
    /// <c>web</c> (floating IP and web service) may run on every node, with shutdown priority 0 so that only the node
    /// weights count in partition resolution.
    /// </summary>
    public static string Yaml(string name, IReadOnlyList<IReadOnlyList<string>> chains, IReadOnlyList<int>? weights = null,
        bool withGroup = true, string prefix = "n")
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"cluster:\n  name: {name}\n  token: 1000\n  token_coefficient: 0\nnodes:\n");
        for (var i = 1; i <= chains.Count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture,
                $"  - name: {prefix}{i}\n    id: {i}\n    interconnect: [198.18.0.{10 + i}]\n    weight: {weights?[i - 1] ?? 1}\n    shutdown_agents:\n");
            foreach (var agent in chains[i - 1])
            {
                yaml.Append("      - ").Append(agent).Append('\n');
            }
        }

        if (withGroup)
        {
            var nodes = string.Join(", ", Enumerable.Range(1, chains.Count).Select(i => $"{prefix}{i}"));
            yaml.Append(CultureInfo.InvariantCulture, $$"""
                groups:
                  - name: {{Group}}
                    nodes: [{{nodes}}]
                    shutdown_priority: 0
                    resources:
                      - name: vip
                        type: ocf
                        agent: heartbeat:IPaddr2
                        params: {ip: 198.18.0.100, cidr_netmask: 25, nic: ic0}
                        start_timeout: 20s
                        stop_timeout: 20s
                        monitor_interval: 5s
                      - name: hello
                        type: exec
                        start: /opt/palisade/share/examples/demo/hello-service start
                        stop: /opt/palisade/share/examples/demo/hello-service stop
                        monitor: /opt/palisade/share/examples/demo/hello-service monitor
                        env: {BIND: 198.18.0.100, PORT: "8080", LEDGER: /var/lib/palisade-lab/ledger}
                        start_timeout: 10s
                        stop_timeout: 10s
                        monitor_interval: 5s

                """);
        }

        return yaml.ToString();
    }

    /// <summary>Every node gets the chain <paramref name="chain"/> builds from its 1-based position.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Same(int nodes, Func<int, IReadOnlyList<string>> chain) =>
        [.. Enumerable.Range(1, nodes).Select(chain)];
}
