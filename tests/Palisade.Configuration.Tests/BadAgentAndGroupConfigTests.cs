using Xunit;

namespace Palisade.Configuration.Tests;

/// <summary>Bad shutdown agents, groups and resources: each case is a whole file and the exact, complete list of errors, in order.</summary>
public sealed class BadAgentAndGroupConfigTests
{
    [Theory]
    // --- shutdown agents
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            shutdown_agents:
              - type: ilo
                address: 10.0.9.1
              - type: ipmi
                address: 10.0.9.1
                user: admin
              - type: ipmi
                address: 10.0.9.1
                user: admin
                password: secret
                password_file: /etc/palisade/n1.pass
        """, """
        c.yaml:7:15: nodes[0].shutdown_agents[0].type: unknown shutdown agent type 'ilo' (known: ipmi, fence-agent, redfish, irmc, kdump, icmp, watchdog, libvirt, aws, azure, gce, openstack, vmware)
        c.yaml:9:9: nodes[0].shutdown_agents[1].password: required; give exactly one of password or password_file
        c.yaml:16:9: nodes[0].shutdown_agents[2].password_file: give exactly one of password or password_file, not both
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            shutdown_agents:
              - type: ipmi
                timeout: 10x
                address: bmc_1
                port: abc
                usr: admin
                password_file: etc/n1.pass
                cipher: 18
                privilege: root
                method: reset
        """, """
        c.yaml:7:9: nodes[0].shutdown_agents[0].user: required; expected a non-empty text on one line
        c.yaml:8:18: nodes[0].shutdown_agents[0].timeout: expected a duration such as 500ms, 10s, 2m, 1h or a whole number of seconds, got '10x'
        c.yaml:9:18: nodes[0].shutdown_agents[0].address: expected an IP address or a host name, got 'bmc_1'
        c.yaml:10:15: nodes[0].shutdown_agents[0].port: expected an integer between 1 and 65535, got 'abc'
        c.yaml:11:9: nodes[0].shutdown_agents[0].usr: unknown ipmi parameter 'usr' (did you mean 'user'?)
        c.yaml:12:24: nodes[0].shutdown_agents[0].password_file: expected an absolute path (starting with /), got 'etc/n1.pass'
        c.yaml:13:17: nodes[0].shutdown_agents[0].cipher: expected an integer between 0 and 17, got '18'
        c.yaml:14:20: nodes[0].shutdown_agents[0].privilege: expected one of CALLBACK, USER, OPERATOR, ADMINISTRATOR, got 'root'
        c.yaml:15:17: nodes[0].shutdown_agents[0].method: expected onoff or cycle, got 'reset'
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            shutdown_agents:
              - {type: ipmi, address: 10.0.9.1, user: admin, password: "Hunter2\tx"}
              - {type: ipmi, address: 10.0.9.1, user: admin, password: [Hunter3]}
          - name: n2
            id: 2
            interconnect: 10.0.0.2
            shutdown_agents: {type: ipmi}
        """, """
        c.yaml:7:64: nodes[0].shutdown_agents[0].password: expected a non-empty text on one line, got a value that is not shown because it is secret
        c.yaml:8:64: nodes[0].shutdown_agents[1].password: expected a non-empty text on one line, got a list
        c.yaml:12:22: nodes[1].shutdown_agents: expected a list of shutdown agents, tried in order, got a mapping
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            shutdown_agents:
              - type: aws
                agent: fence_ipmilan
                region: eu-west-1
        """, """
        c.yaml:8:9: nodes[0].shutdown_agents[0].agent: unknown aws parameter 'agent' (expected one of: type, timeout, plug, action, password_file)
        """)]
    // --- groups
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
          - {name: n2, id: 2, interconnect: 10.0.0.2}
          - {name: n3, id: 3, interconnect: 10.0.0.3}
        groups:
          - name: web
            nodes: [n1, n4, n1]
            shutdown_priority: -1
            auto_start: maybe
          - name: web
            nodes: []
          - name: db
          - name: bad name
            nodes: n1
        """, """
        c.yaml:8:17: groups[0].nodes[1]: node 'n4' is not declared (declared: n1, n2, n3)
        c.yaml:8:21: groups[0].nodes[2]: node 'n1' is listed more than once
        c.yaml:9:24: groups[0].shutdown_priority: expected an integer between 0 and 1000000, got '-1'
        c.yaml:10:17: groups[0].auto_start: expected true or false, got 'maybe'
        c.yaml:11:11: groups[1].name: duplicate group name 'web' (also at line 7)
        c.yaml:12:12: groups[1].nodes: expected a list of node names, in order of preference, got an empty list
        c.yaml:13:5: groups[2].nodes: required; expected a list of node names, in order of preference
        c.yaml:14:11: groups[3].name: expected 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-', got 'bad name'
        c.yaml:15:12: groups[3].nodes: expected a list of node names, in order of preference, got 'n1'
        """)]
    // --- resources
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - name: web
            nodes: [n1]
            resources:
              - name: vip
                type: ocf
                agent: IPaddr2
                start: /bin/true
                params: {1ip: 198.18.0.100, db_password: [x]}
              - name: vip
                type: ocf
                monitor_intervall: 5s
              - name: svc
                type: systemd
              - name: job
                type: exec
                start: /usr/local/bin/job start
                agent: heartbeat:Dummy
                start_timeout: 0
                monitor_interval: 25h
        """, """
        c.yaml:10:16: groups[0].resources[0].agent: expected an OCF agent as provider:type, e.g. heartbeat:IPaddr2, got 'IPaddr2'
        c.yaml:11:9: groups[0].resources[0].start: 'start' applies only to exec resources; this one is ocf
        c.yaml:12:18: groups[0].resources[0].params.1ip: expected a name made of letters, digits and '_', not starting with a digit, got '1ip'
        c.yaml:12:50: groups[0].resources[0].params.db_password: expected a single value (write "" for an empty one), got a list
        c.yaml:13:9: groups[0].resources[1].agent: required; expected an OCF agent as provider:type, e.g. heartbeat:IPaddr2
        c.yaml:13:15: groups[0].resources[1].name: duplicate resource name 'vip' (also at line 8)
        c.yaml:15:9: groups[0].resources[1].monitor_intervall: unknown key 'monitor_intervall' (did you mean 'monitor_interval'?)
        c.yaml:17:15: groups[0].resources[2].type: expected exec or ocf, got 'systemd'
        c.yaml:18:9: groups[0].resources[3].stop: required; expected a non-empty text
        c.yaml:21:9: groups[0].resources[3].agent: 'agent' applies only to ocf resources; this one is exec
        c.yaml:22:24: groups[0].resources[3].start_timeout: expected a duration between 1ms and 24h, got '0'
        c.yaml:23:27: groups[0].resources[3].monitor_interval: expected a duration between 0s and 24h, got '25h'
        """)]
    // --- recovery of a resource's monitor
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - name: web
            nodes: [n1]
            resources:
              - name: a
                type: exec
                start: /bin/true
                stop: /bin/true
                monitor_retries: -1
                recovery: {action: reboot, restart_limit: 100, final_action: crash, reset_after: 0, restarts: 2}
              - name: b
                type: exec
                start: /bin/true
                stop: /bin/true
                recovery: restart
        """, """
        c.yaml:12:26: groups[0].resources[0].monitor_retries: expected an integer between 0 and 99, got '-1'
        c.yaml:13:28: groups[0].resources[0].recovery.action: expected one of script, restart, failover, restart_then_failover, final, got 'reboot'
        c.yaml:13:51: groups[0].resources[0].recovery.restart_limit: expected an integer between 0 and 99, got '100'
        c.yaml:13:70: groups[0].resources[0].recovery.final_action: expected one of none, stop_group, stop_resource, stop_cluster_service, stop_cluster_service_and_shutdown, stop_cluster_service_and_reboot, bmc_power_off, bmc_reset, bmc_power_cycle, bmc_nmi, panic, got 'crash'
        c.yaml:13:90: groups[0].resources[0].recovery.reset_after: expected a duration between 1s and 24h, got '0'
        c.yaml:13:93: groups[0].resources[0].recovery.restarts: unknown key 'restarts' (expected one of: target, failover_outside_server_group, action, script, script_limit, script_timeout, pre_action, restart_limit, failover_limit, final_action, reset_after)
        c.yaml:18:19: groups[0].resources[1].recovery: expected a recovery mapping (action, script, script_limit, pre_action, restart_limit, failover_limit, final_action, reset_after), got 'restart'
        """)]
    // --- server groups
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
          - {name: n2, id: 2, interconnect: 10.0.0.2}
        server_groups:
          - {name: site-a, nodes: [n1, n2]}
          - {name: site-a, nodes: [n2, n9]}
          - {name: site-c, nodes: []}
          - {name: site-d, members: [n1]}
        """, """
        c.yaml:7:12: server_groups[1].name: duplicate server group name 'site-a' (also at line 6)
        c.yaml:7:28: server_groups[1].nodes[0]: node 'n2' is already in server group 'site-a': a node belongs to one server group at most
        c.yaml:7:32: server_groups[1].nodes[1]: node 'n9' is not declared (declared: n1, n2)
        c.yaml:8:27: server_groups[2].nodes: expected a list of node names, got an empty list
        c.yaml:9:5: server_groups[3].nodes: required; expected a list of node names
        c.yaml:9:20: server_groups[3].members: unknown key 'members' (expected one of: name, nodes)
        """)]
    // --- monitors of the monitors: list
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
          - {name: n2, id: 2, interconnect: 10.0.0.2}
        groups:
          - name: web
            nodes: [n1]
        monitors:
          - {name: p1, type: process, target: web}
          - {name: p1, type: process, target: web, process: a, pidfile: /run/a.pid}
          - {name: p3, type: process, target: db, process: a, min_count: 0}
          - {name: i1, type: ip, target: web, addresses: [10.0.0.300], interval: 0s}
          - {name: n1, type: nic, target: web, interface: "this-name-is-too-long", timing: sometimes}
          - {name: d1, type: disk, target: web, path: relative/file, nodes: [n2, n9]}
          - {name: c1, type: custom, target: web, command: /bin/true, path: /x, on_timeout: retry}
          - {name: "bad name", type: snmp, target: web}
          - {name: r1, type: custom, target: web, command: /bin/true, recovery: {final_action: reboot}}
        """, """
        c.yaml:9:5: monitors[0].process: required; expected a process name (or pidfile: PATH)
        c.yaml:10:12: monitors[1].name: duplicate monitor name 'p1' (also at line 9)
        c.yaml:10:56: monitors[1].pidfile: give either process or pidfile, not both
        c.yaml:11:39: monitors[2].target: group 'db' is not declared (declared: web)
        c.yaml:11:66: monitors[2].min_count: expected an integer between 1 and 10000, got '0'
        c.yaml:12:51: monitors[3].addresses[0]: expected an IPv4 or IPv6 address, got '10.0.0.300'
        c.yaml:12:74: monitors[3].interval: expected a duration between 1s and 24h, got '0s'
        c.yaml:13:51: monitors[4].interface: expected an interface name of 1 to 15 characters, e.g. eth1, got 'this-name-is-too-long'
        c.yaml:13:84: monitors[4].timing: expected always or active, got 'sometimes'
        c.yaml:14:47: monitors[5].path: expected an absolute path to a file or block device, got 'relative/file'
        c.yaml:14:70: monitors[5].nodes[0]: node 'n2' cannot run group web (its nodes: n1)
        c.yaml:14:74: monitors[5].nodes[1]: node 'n9' is not declared (declared: n1, n2)
        c.yaml:15:63: monitors[6].path: 'path' does not apply to a custom monitor (its keys: command)
        c.yaml:15:85: monitors[6].on_timeout: expected error or ignore, got 'retry'
        c.yaml:16:12: monitors[7].name: expected 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-', got 'bad name'
        c.yaml:16:30: monitors[7].type: expected one of process, ip, nic, disk, custom, resource, external, got 'snmp'
        c.yaml:17:88: monitors[8].recovery.final_action: expected one of none, stop_group, stop_resource, stop_cluster_service, stop_cluster_service_and_shutdown, stop_cluster_service_and_reboot, bmc_power_off, bmc_reset, bmc_power_cycle, bmc_nmi, panic, got 'reboot'
        """)]
    // --- external monitors and message categories
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        categories: [APP, NIC, "has space"]
        groups:
          - {name: web, nodes: [n1]}
        monitors:
          - {name: e1, type: external, target: web, category: DISK}
          - {name: e2, type: external, target: web, keyword: eth1}
          - {name: e3, type: custom, target: web, command: /bin/true, recovery: {failover_outside_server_group: true}}
          - {name: e4, type: external, target: web, category: APP, managed_by: me, interface: eth1}
        """, """
        c.yaml:4:19: categories[1]: category 'NIC' is already known
        c.yaml:4:24: categories[2]: expected a category name of 1 to 32 bytes without spaces, got 'has space'
        c.yaml:8:55: monitors[0].category: expected one of NIC, FC, HA/SS, HA/AM, HA/RS, SPS, NODE, APP (or a category added under categories:), got 'DISK'
        c.yaml:9:5: monitors[1].category: required; expected a non-empty text
        c.yaml:10:74: monitors[2].recovery.failover_outside_server_group: applies only to monitors of type external (an error that reports the loss of a whole server group)
        c.yaml:11:72: monitors[3].managed_by: expected server-management, got 'me'
        c.yaml:11:76: monitors[3].interface: 'interface' does not apply to an external monitor (its keys: category, keyword, managed_by)
        """)]
    // --- node actions
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        node_actions: {type: shutdown_agents, panic: "logger -t palisade panic-now", halt: now}
        """, """
        c.yaml:4:39: node_actions.panic: a command applies only with type: system (with shutdown_agents the node's BMC acts)
        c.yaml:4:78: node_actions.halt: unknown key 'halt' (expected one of: type, poweroff, reboot, panic)
        """)]
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        node_actions: {type: kernel}
        """, """
        c.yaml:4:22: node_actions.type: expected shutdown_agents or system, got 'kernel'
        """)]
    // --- recovery targets
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - name: web
            nodes: [n1]
            resources:
              - {name: ip, type: exec, start: /bin/true, stop: /bin/true}
          - name: db
            nodes: [n1]
            resources:
              - {name: ip, type: exec, start: /bin/true, stop: /bin/true, recovery: {target: all_groups}}
              - {name: app, type: exec, start: /bin/true, stop: /bin/true, recovery: {target: db/ip}}
        monitors:
          - {name: m1, type: custom, target: web, command: /bin/true, recovery: {target: db}}
          - {name: m2, type: custom, target: web, command: /bin/true, recovery: {target: web/app}}
          - {name: m3, type: custom, target: web, command: /bin/true, recovery: {target: [web]}}
          - {name: m4, type: custom, target: web, command: /bin/true, recovery: {final_action: stop_resource}}
        """, """
        c.yaml:12:86: groups[1].resources[0].recovery.target: expected db or db/ip (all_groups is for monitors of the monitors: list), got 'all_groups'
        c.yaml:13:87: groups[1].resources[1].recovery.target: expected db or db/app, got 'db/ip'
        c.yaml:15:82: monitors[0].recovery.target: expected web, web/ip or all_groups, got 'db'
        c.yaml:16:82: monitors[1].recovery.target: expected web, web/ip or all_groups, got 'web/app'
        c.yaml:17:82: monitors[2].recovery.target: expected a group, GROUP/RESOURCE or all_groups, got a list
        c.yaml:18:88: monitors[3].recovery.final_action: stop_resource needs a resource to stop: set target: GROUP/RESOURCE
        """)]
    // --- recovery scripts and pre-actions
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - {name: web, nodes: [n1]}
        monitors:
          - {name: a, type: custom, target: web, command: /bin/true, recovery: {action: script}}
          - {name: b, type: custom, target: web, command: /bin/true, recovery: {script_limit: 2, pre_action: {before: [reboot], timeout: 0s}}}
          - {name: c, type: custom, target: web, command: /bin/true, recovery: {script: /bin/fix, pre_action: /bin/pre}}
        """, """
        c.yaml:7:72: monitors[0].recovery.script: required; expected the recovery script (a command) that script_limit, script_timeout and action: script need
        c.yaml:8:72: monitors[1].recovery.script: required; expected the recovery script (a command) that script_limit, script_timeout and action: script need
        c.yaml:8:102: monitors[1].recovery.pre_action.script: required; expected a non-empty text
        c.yaml:8:112: monitors[1].recovery.pre_action.before[0]: expected restart, failover or final, got 'reboot'
        c.yaml:8:130: monitors[1].recovery.pre_action.timeout: expected a duration between 1s and 24h, got '0s'
        c.yaml:9:103: monitors[2].recovery.pre_action: expected a pre-action mapping (script, timeout, before), got '/bin/pre'
        """)]
    // --- resource monitors of the monitors: list
    [InlineData("""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - name: web
            nodes: [n1]
            resources:
              - {name: app, type: exec, start: /bin/true, stop: /bin/true}
        monitors:
          - {name: a, type: resource, target: web, resource: web/nothing}
          - {name: b, type: resource, target: web, resource: app}
          - {name: c, type: resource, target: web, command: /bin/true}
        """, """
        c.yaml:10:54: monitors[0].resource: expected GROUP/RESOURCE of a declared resource, got 'web/nothing' (declared: web/app)
        c.yaml:11:54: monitors[1].resource: expected GROUP/RESOURCE of a declared resource, got 'app' (declared: web/app)
        c.yaml:12:5: monitors[2].resource: required; expected a non-empty text
        c.yaml:12:44: monitors[2].command: 'command' does not apply to a resource monitor (its keys: resource)
        """)]
    public void Reports_every_error_with_its_place(string yaml, string expected)
    {
        var result = ConfigLoader.Parse(yaml, "c.yaml");

        Assert.False(result.Ok);
        Assert.Null(result.Config);
        Assert.Equal(expected.Split('\n'), result.Errors.Select(e => e.ToString()));
    }

    [Theory]
    [InlineData("password: \"Hunter2\\tx\"")]
    [InlineData("password: \"\"")]
    [InlineData("pasword: Hunter2")]
    [InlineData("password: Hunter2\n        passwd: Hunter2")]
    public void Secret_values_never_appear_in_messages(string secretLine)
    {
        var yaml = $"""
            cluster: {"{"}name: lab{"}"}
            nodes:
              - name: n1
                id: 1
                interconnect: 10.0.0.1
                shutdown_agents:
                  - type: ipmi
                    address: 10.0.9.1
                    user: admin
                    {secretLine}
            groups:
              - name: g
                nodes: [n1]
                resources:
                  - name: r
                    type: exec
                    start: "true"
                    stop: "true"
                    env: {"{"}API_KEY: [Hunter2], DB_PASSWORD: {"{"}x: Hunter2{"}"}{"}"}
            """;

        var result = ConfigLoader.Parse(yaml, "c.yaml");

        Assert.False(result.Ok);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.DoesNotContain("Hunter", e.ToString(), StringComparison.Ordinal));
    }
}
