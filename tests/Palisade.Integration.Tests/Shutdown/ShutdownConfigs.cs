using System.Globalization;
using System.Text;
using System.Text.Json;
using Palisade.Core.Shutdown;

namespace Palisade.Integration.Tests.Shutdown;

/// <summary>Cluster files for the shutdown tests: lab nodes n1..nN, the demo service as group 'web', chosen agent chains.</summary>
internal static class ShutdownConfigs
{
    public const string PasswordFile = "/etc/palisade/bmc.pass";

    public static string Bmc(int node) => $"198.18.0.{200 + node}";

    /// <summary>An address in the BMC LAN where nothing answers: a BMC that is unreachable.</summary>
    public const string DeadBmc = "198.18.0.230";

    public static string Ipmi(int node, int timeoutSeconds = 10, string? address = null) =>
        $"{{type: ipmi, address: {address ?? Bmc(node)}, user: admin, password_file: {PasswordFile}, cipher: 3, timeout: {timeoutSeconds}s}}";

    public static string Redfish(int node, int timeoutSeconds = 10) =>
        $"{{type: redfish, address: {Bmc(node)}, user: admin, password_file: {PasswordFile}, ca_file: /etc/palisade/lab-ca.pem, timeout: {timeoutSeconds}s}}";

    public static string FenceIpmilan(int node) =>
        $"{{type: fence-agent, agent: fence_ipmilan, ip: {Bmc(node)}, username: admin, password_file: {PasswordFile}, lanplus: '1', cipher: '3', timeout: 30s}}";

    public const string Kdump = "{type: kdump, timeout: 20s}";

    public const string Icmp = "{type: icmp, count: 2, interval: 200, timeout: 5s}";

    /// <summary>Where lab nodes get a simulated watchdog (a FIFO in the node's own /var/lib/palisade).</summary>
    public const string WatchdogPath = "/var/lib/palisade/watchdog";

    /// <summary>
    /// The cluster file; <paramref name="chains"/>[i] is node i+1's agent list (YAML flow mappings). With
    /// <paramref name="watchdog"/> every node has a watchdog at <see cref="WatchdogPath"/>.
    /// </summary>
    public static string Cluster(string name, string[][] chains, int[]? weights = null, int priority = 0, string? shutdown = null, bool watchdog = false)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"cluster:\n  name: {name}\n  token: 1000\n  token_coefficient: 0\n");
        if (shutdown is not null)
        {
            yaml.Append("shutdown: ").Append(shutdown).Append('\n');
        }

        yaml.Append("nodes:\n");
        for (var i = 1; i <= chains.Length; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  - name: n{i}\n    id: {i}\n    interconnect: [198.18.0.{10 + i}]\n    weight: {weights?[i - 1] ?? 1}\n");
            yaml.Append(watchdog ? $"    watchdog: {WatchdogPath}\n" : "").Append("    shutdown_agents:\n");
            foreach (var agent in chains[i - 1])
            {
                yaml.Append("      - ").Append(agent).Append('\n');
            }
        }

        var nodes = string.Join(", ", Enumerable.Range(1, chains.Length).Select(i => $"n{i}"));
        yaml.Append(CultureInfo.InvariantCulture, $"""
            groups:
              - name: web
                nodes: [{nodes}]
                shutdown_priority: {priority}
                resources:
                  - name: hello
                    type: exec
                    start: /opt/palisade/share/examples/demo/hello-service start
                    stop: /opt/palisade/share/examples/demo/hello-service stop
                    monitor: /opt/palisade/share/examples/demo/hello-service monitor
                    env: {"{"}BIND: 0.0.0.0, PORT: "8080", LEDGER: /var/lib/palisade-lab/ledger{"}"}
                    monitor_interval: 5s

            """);
        return yaml.ToString();
    }

    /// <summary>Every node with the same chain.</summary>
    public static string[][] Same(int nodes, Func<int, string[]> chain) => [.. Enumerable.Range(1, nodes).Select(chain)];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
    };

    public static IReadOnlyList<FenceRecord> History(string json) => JsonSerializer.Deserialize<List<FenceRecord>>(json, Json) ?? [];
}
