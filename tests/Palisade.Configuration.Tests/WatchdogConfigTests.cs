using Palisade.Core.Shutdown;
using Xunit;

namespace Palisade.Configuration.Tests;

/// <summary>Chains of confirm-only agents, node watchdogs, and the watchdog agent they bring.</summary>
public sealed class WatchdogConfigTests
{
    private static string File(string node1, string shutdown = "") => $"""
        cluster: {"{"}name: pair{"}"}
        {shutdown}nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
        {node1}
          - name: n2
            id: 2
            interconnect: 10.0.0.2
            shutdown_agents:
              - {"{"}type: ipmi, address: 10.0.9.2, user: admin, password_file: /etc/palisade/n2.pass{"}"}
        """;

    [Fact]
    public void An_icmp_only_chain_without_a_watchdog_is_refused_where_the_chain_starts()
    {
        var result = ConfigLoader.Parse(File("""
                shutdown_agents:
                  - {type: icmp}
                  - {type: kdump}
            """), "c.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal("c.yaml:7:7: nodes[0].shutdown_agents: every agent of n1's chain (icmp, kdump) only confirms a node is down and never stops one: "
            + "silence or a missing answer is no proof that a running node stopped. Add an agent that stops the node (ipmi, redfish, fence-agent, ...), "
            + "or give the node a 'watchdog' device so that it resets itself", error.ToString());
    }

    [Fact]
    public void An_icmp_only_chain_with_a_watchdog_is_accepted_and_gets_the_watchdog_agent_last()
    {
        var result = ConfigLoader.Parse(File("""
                watchdog: /var/lib/palisade/watchdog
                shutdown_agents:
                  - {type: icmp}
            """, "shutdown: {watchdog_timeout: 5s}\n"), "c.yaml");

        Assert.Empty(result.Errors);
        var n1 = result.Config!.Nodes[0];
        Assert.Equal("/var/lib/palisade/watchdog", n1.Watchdog);
        Assert.Equal(["icmp", "watchdog"], n1.ShutdownAgents.Select(a => a.Type));
        Assert.Equal(TimeSpan.FromSeconds(20), n1.ShutdownAgents[1].Timeout); // 2 x 5 s + 10 s
        Assert.Equal(TimeSpan.FromSeconds(5), result.Config.Shutdown.WatchdogTimeout);
        Assert.Null(result.Config.Nodes[1].Watchdog);
        Assert.Equal(["ipmi"], result.Config.Nodes[1].ShutdownAgents.Select(a => a.Type));
    }

    [Fact]
    public void A_chain_that_stops_the_node_needs_no_watchdog()
    {
        var result = ConfigLoader.Parse(File("""
                shutdown_agents:
                  - {type: icmp}
                  - {type: ipmi, address: 10.0.9.1, user: admin, password_file: /etc/palisade/n1.pass}
            """), "c.yaml");

        Assert.Empty(result.Errors);
        Assert.Equal(TimeSpan.FromSeconds(10), result.Config!.Shutdown.WatchdogTimeout);
    }

    [Fact]
    public void A_written_watchdog_agent_is_kept_once_and_needs_a_device_and_a_long_enough_timeout()
    {
        var kept = ConfigLoader.Parse(File("""
                watchdog: /var/lib/palisade/watchdog
                shutdown_agents:
                  - {type: watchdog, timeout: 25s}
                  - {type: icmp}
            """), "c.yaml");
        Assert.Empty(kept.Errors);
        Assert.Equal(["watchdog", "icmp"], kept.Config!.Nodes[0].ShutdownAgents.Select(a => a.Type));

        var refused = ConfigLoader.Parse(File("""
                watchdog: var/lib/palisade/watchdog
                shutdown_agents:
                  - {type: watchdog, timeout: 20s}
            """), "c.yaml");
        Assert.Equal(["c.yaml:6:15: nodes[0].watchdog: expected the absolute path of the node's watchdog device, got 'var/lib/palisade/watchdog'"],
            refused.Errors.Select(e => e.ToString()));

        var noDevice = ConfigLoader.Parse(File("""
                shutdown_agents:
                  - {type: watchdog, timeout: 30s}
            """), "c.yaml");
        Assert.Equal([
            "c.yaml:7:7: nodes[0].shutdown_agents: every agent of n1's chain (watchdog) only confirms a node is down and never stops one: silence or a missing answer is no proof that a running node stopped. Add an agent that stops the node (ipmi, redfish, fence-agent, ...), or give the node a 'watchdog' device so that it resets itself",
            "c.yaml:7:16: nodes[0].shutdown_agents[0].type: the watchdog agent confirms n1 down once its watchdog must have reset it, but n1 has no 'watchdog' device; add 'watchdog: PATH' (its watchdog device) to the node",
        ], noDevice.Errors.Select(e => e.ToString()));

        var tooShort = ConfigLoader.Parse(File("""
                watchdog: /var/lib/palisade/watchdog
                shutdown_agents:
                  - {type: watchdog, timeout: 20s}
            """), "c.yaml");
        Assert.Equal(["c.yaml:8:35: nodes[0].shutdown_agents[0].timeout: the watchdog agent waits twice shutdown.watchdog_timeout (20s); its timeout (20s) must be longer, e.g. 30s"],
            tooShort.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void The_watchdog_timeout_is_bounded()
    {
        var result = ConfigLoader.Parse(File("", "shutdown: {watchdog_timeout: 1s}\n"), "c.yaml");

        Assert.Equal(["c.yaml:2:30: shutdown.watchdog_timeout: expected a duration between 2s and 5m, got '1s'"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void The_written_file_reads_back_to_the_same_config_with_the_appended_agent_written_once()
    {
        var first = ConfigLoader.Parse(File("""
                watchdog: /var/lib/palisade/watchdog
                shutdown_agents:
                  - {type: icmp}
            """), "c.yaml").Config!;

        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(first, redactSecrets: false), "again.yaml");

        Assert.Empty(again.Errors);
        Assert.Equal(first.Nodes[0].ShutdownAgents.Select(a => (a.Type, a.Timeout, a.Parameters.Count)),
            again.Config!.Nodes[0].ShutdownAgents.Select(a => (a.Type, a.Timeout, a.Parameters.Count)));
        Assert.Equal(first.Nodes[0].Watchdog, again.Config.Nodes[0].Watchdog);
        Assert.Equal(first.Shutdown, again.Config.Shutdown);
    }

    [Fact]
    public void The_catalog_marks_exactly_the_agents_that_never_stop_a_node()
    {
        Assert.Equal(["kdump", "icmp", "watchdog"], ShutdownAgentCatalog.All.Where(a => a.ConfirmsOnly).Select(a => a.Type));
        Assert.Contains("It only confirms that the node is down; it never stops one.", ShutdownAgentReference.Markdown(), StringComparison.Ordinal);
    }
}
