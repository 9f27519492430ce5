using Xunit;

namespace Palisade.Configuration.Tests;

/// <summary>Bad documents, cluster sections and nodes (plus single-problem cases): each case is a whole file and the exact, complete list of errors, in order.</summary>
public sealed class BadConfigTests
{
    [Theory]
    // --- the document itself
    [InlineData("""
        cluster:
          name: "lab
        """, """c.yaml:2:9: (document): invalid YAML: While scanning a quoted scalar, found unexpected end of stream.""")]
    [InlineData("""
        cluster:
          name: lab
         token: 5
        """, """c.yaml:3:2: (document): invalid YAML: While parsing a block mapping, did not find expected key.""")]
    [InlineData("""
        cluster: {name: lab}
        cluster: {name: lab2}
        """, """c.yaml:2:1: (document): invalid YAML: Duplicate key cluster""")]
    [InlineData("", "c.yaml:1:1: (document): the file is empty; expected a mapping with the keys cluster, nodes and groups")]
    [InlineData("# nothing but a comment\n", "c.yaml:1:1: (document): the file is empty; expected a mapping with the keys cluster, nodes and groups")]
    [InlineData("""
        cluster: {name: lab, token: 900, !!str token: 1000}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        """, "c.yaml:1:34: cluster.token: duplicate key 'token' (also at line 1)")]
    [InlineData("- cluster\n", "c.yaml:1:1: (document): expected a mapping with the keys cluster, nodes and groups, got a list")]
    [InlineData("""
        cluster: {name: a}
        ---
        cluster: {name: b}
        """, "c.yaml:3:1: (document): expected a single YAML document, found a second one")]
    // --- missing and unknown keys
    [InlineData("""
        cluster:
          token: 1000
        """, """
        c.yaml:1:1: nodes: required; expected a list of 1 to 32 nodes
        c.yaml:2:3: cluster.name: required; expected 1 to 32 characters from A-Z, a-z, 0-9, '_' and '-'
        """)]
    [InlineData("""
        cluster:
          name: lab
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            wieght: 2
        extras: 1
        """, """
        c.yaml:7:5: nodes[0].wieght: unknown key 'wieght' (did you mean 'weight'?)
        c.yaml:8:1: extras: unknown key 'extras' (expected one of: cluster, nodes, groups, shutdown, server_groups, monitors, node_actions, categories, intake, sources, api, alerts)
        """)]
    // --- cluster section
    [InlineData("""
        cluster:
          name: my lab
          token: abc
          token_coefficient: 20000
          transport: udp
          wait_for_all: yes
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        """, """
        c.yaml:2:9: cluster.name: expected 1 to 32 characters from A-Z, a-z, 0-9, '_' and '-', got 'my lab'
        c.yaml:3:10: cluster.token: expected an integer between 200 and 60000, got 'abc'
        c.yaml:4:22: cluster.token_coefficient: expected an integer between 0 and 10000, got '20000'
        c.yaml:5:14: cluster.transport: expected knet or udpu, got 'udp'
        c.yaml:6:17: cluster.wait_for_all: expected true or false, got 'yes'
        """)]
    [InlineData("""
        cluster: {name: lab, token: 199}
        nodes: []
        """, """
        c.yaml:1:29: cluster.token: expected an integer between 200 and 60000, got '199'
        c.yaml:2:8: nodes: expected 1 to 32 nodes, got 0
        """)]
    [InlineData("""
        cluster: lab
        nodes: {n1: 1}
        """, """
        c.yaml:1:10: cluster: expected a mapping with the cluster's name and timings, got 'lab'
        c.yaml:2:8: nodes: expected a list of 1 to 32 nodes, got a mapping
        """)]
    // --- nodes
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: N1
            id: 0
            interconnect: 10.0.0.256
            admin: bmc
            weight: 0
            server_group: site a
        """, """
        c.yaml:3:11: nodes[0].name: expected a host-like name: lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters, got 'N1'
        c.yaml:4:9: nodes[0].id: expected an integer between 1 and 4294967294, got '0'
        c.yaml:5:19: nodes[0].interconnect: expected an IPv4 or IPv6 address, got '10.0.0.256'
        c.yaml:6:12: nodes[0].admin: expected an IPv4 or IPv6 address, got 'bmc'
        c.yaml:7:13: nodes[0].weight: expected an integer between 1 and 1000000, got '0'
        c.yaml:8:19: nodes[0].server_group: expected 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-', got 'site a'
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
          - name: n1
            id: 2
            interconnect: 10.0.0.2
        """, "c.yaml:6:11: nodes[1].name: duplicate node name 'n1' (also at line 3)")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
          - name: n2
            id: 2
            interconnect: 10.0.0.2
          - name: n3
            id: 2
            interconnect: 10.0.0.1
        """, """
        c.yaml:8:9: nodes[2].id: duplicate node id 2 (also used by n2 at line 5)
        c.yaml:9:19: nodes[2].interconnect: duplicate address 10.0.0.1 (also used by n1 at line 3)
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: [10.0.0.1, 10.0.1.1]}
          - {name: n2, id: 2, interconnect: [10.0.0.2]}
          - {name: n3, id: 3, interconnect: [10.0.0.3, "fd00::3"]}
          - {name: n4, id: 4, interconnect: [10.0.0.4, 10.0.0.5, 10.0.0.6, 10.0.0.7, 10.0.0.8, 10.0.0.9, 10.0.0.10, 10.0.0.11, 10.0.0.12]}
          - {name: n5, id: 5, interconnect: {a: 1}}
        """, """
        c.yaml:4:37: nodes[1].interconnect: expected 2 interconnect addresses like n1 (every node needs one address per link), got 1
        c.yaml:5:48: nodes[2].interconnect[1]: link 1 uses IPv4 on n1 but IPv6 here; a link needs one address family on every node
        c.yaml:6:37: nodes[3].interconnect: expected 1 to 8 addresses, got 9
        c.yaml:7:37: nodes[4].interconnect: expected an IP address or a list of 1 to 8 IP addresses, one per link, got a mapping
        """)]
    [InlineData("""
        cluster: {name: lab, wait_for_all: false, transport: udpu, crypto: false}
        nodes:
          - {name: a, id: 1, interconnect: [10.0.0.1, 10.0.1.1]}
          - {name: b, id: 2, interconnect: [10.0.0.2, 10.0.1.2]}
        """, """
        c.yaml:1:36: cluster.wait_for_all: a two-node cluster always waits for both nodes at first start (two_node implies wait_for_all); remove the key or set it to true
        c.yaml:1:54: cluster.transport: udpu supports a single link, but the nodes have 2 interconnect addresses each; use knet for several links
        """)]
    // --- one problem each
    [InlineData("""
        cluster: {name: lab, transport: udpu}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        """, "c.yaml:1:33: cluster.transport: udpu cannot authenticate or encrypt the interconnect (corosync has crypto on knet only); use knet, or write crypto: false to run an unauthenticated interconnect")]
    [InlineData("""
        cluster: {name: lab, crypto: off}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        """, "c.yaml:1:30: cluster.crypto: expected true or false, got 'off'")]
    [InlineData("""
        cluster: {name: lab, tokn: 900}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        """, "c.yaml:1:22: cluster.tokn: unknown key 'tokn' (did you mean 'token'?)")]
    [InlineData("""
        cluster: {name: lab}
        nodes: [n1]
        """, "c.yaml:2:9: nodes[0]: expected a node (a mapping with name, id and interconnect), got 'n1'")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
        """, "c.yaml:3:5: nodes[0].interconnect: required; expected an IP address or a list of 1 to 8 IP addresses, one per link")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: two, interconnect: 10.0.0.1}
        """, "c.yaml:3:20: nodes[0].id: expected an integer between 1 and 4294967294, got 'two'")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: "fe80::1%eth0"}
        """, "c.yaml:3:37: nodes[0].interconnect: expected an IPv4 or IPv6 address, got 'fe80::1%eth0'")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1, admin: 10.0.0.2}
          - {name: n2, id: 2, interconnect: 10.0.0.2}
        """, "c.yaml:4:37: nodes[1].interconnect: duplicate address 10.0.0.2 (also used by n1 at line 3)")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            shutdown_agents:
              - {type: ipmi, timeout: 0, address: 300.1.1.1, user: admin, password_file: /etc/p}
        """, """
        c.yaml:7:31: nodes[0].shutdown_agents[0].timeout: expected a duration between 1ms and 24h, got '0'
        c.yaml:7:43: nodes[0].shutdown_agents[0].address: expected an IP address or a host name, got '300.1.1.1'
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            shutdown_agents:
              - {address: 10.0.9.1}
        """, "c.yaml:7:9: nodes[0].shutdown_agents[0].type: required; expected a shutdown agent type (ipmi, fence-agent, redfish, irmc, kdump, icmp, watchdog, libvirt, aws, azure, gce, openstack, vmware)")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        shutdown:
          test_interval: 0s
          partition_delay: soon
          history_limt: 20
        """, """
        c.yaml:5:18: shutdown.test_interval: expected a duration between 1s and 24h, got '0s'
        c.yaml:6:20: shutdown.partition_delay: expected a duration such as 500ms, 10s, 2m, 1h or a whole number of seconds, got 'soon'
        c.yaml:7:3: shutdown.history_limt: unknown key 'history_limt' (did you mean 'history_limit'?)
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            shutdown_agents:
              - type: fence-agent
                agent: fence_ipmilan
                password: s3cr3t-Xy
                password_file: /etc/palisade/bmc.pass
                ip: "\t"
        """, """
        c.yaml:10:9: nodes[0].shutdown_agents[0].password_file: give at most one of password or password_file, not both
        c.yaml:11:13: nodes[0].shutdown_agents[0].ip: expected a non-empty text on one line, got '\t'
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups: {web: [n1]}
        """, "c.yaml:4:9: groups: expected a list of groups, got a mapping")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - name: g
            nodes: [n1]
            resources:
              - {name: r}
        """, "c.yaml:8:9: groups[0].resources[0].type: required; expected exec or ocf")]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - name: g
            nodes: [n1]
            resources:
              - {name: r, type: exec, start: "", stop: "  ", env: {PORT: 80, 9X: y}}
        """, """
        c.yaml:8:38: groups[0].resources[0].start: expected a non-empty text, got ''
        c.yaml:8:48: groups[0].resources[0].stop: expected a non-empty text, got '  '
        c.yaml:8:70: groups[0].resources[0].env.9X: expected a name made of letters, digits and '_', not starting with a digit, got '9X'
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - name: g
            nodes: [n1]
            resources:
              - {name: r, type: ocf, agent: "heartbeat:Dummy", params: [a, b]}
        """, "c.yaml:8:64: groups[0].resources[0].params: expected a mapping of names to values, got a list")]
    public void Reports_every_error_with_its_place(string yaml, string expected)
    {
        var result = ConfigLoader.Parse(yaml, "c.yaml");

        Assert.False(result.Ok);
        Assert.Null(result.Config);
        Assert.Equal(expected.Split('\n'), result.Errors.Select(e => e.ToString()));
    }

    /// <summary>Input the YAML library rejects without a syntax exception of its own is still one error, not a crash.</summary>
    [Theory]
    [InlineData("cluster: [lab\nnodes: 1\n", "c.yaml:1:10: (document): invalid YAML: the text cannot be parsed past this point")]
    [InlineData("cluster:\n  : lab\n", "c.yaml:3:1: (document): invalid YAML: the text cannot be parsed past this point")]
    public void Malformed_yaml_is_reported_where_the_parser_stopped(string yaml, string expected)
    {
        var result = ConfigLoader.Parse(yaml, "c.yaml");

        var error = Assert.Single(result.Errors);
        Assert.Equal(expected, error.ToString());
    }
}
