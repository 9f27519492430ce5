namespace Palisade.Configuration.Tests;

/// <summary>Complete configuration files shared by the tests.</summary>
internal static class Examples
{
    public const string ThreeNodes = """
        cluster:
          name: lab
          token: 1500
          token_coefficient: 0
          transport: knet
          wait_for_all: false
        nodes:
          - name: n1
            id: 1
            interconnect: [198.18.0.11, 198.18.0.21]
            admin: 198.18.0.141
            weight: 3
            server_group: site-a
            shutdown_agents:
              - type: ipmi
                timeout: 10s
                address: 198.18.0.201
                port: 6230
                user: admin
                password_file: /etc/palisade/bmc-n1.pass
                cipher: 3
          - name: n2
            id: 2
            interconnect: [198.18.0.12, 198.18.0.22]
            server_group: site-a
            shutdown_agents:
              - type: ipmi
                address: bmc-n2.example.net
                user: operator
                password: "s3cr3t: n2"
                privilege: operator
                method: cycle
          - name: n3
            id: 3
            interconnect: [198.18.0.13, 198.18.0.23]
            server_group: site-b
        groups:
          - name: web
            nodes: [n1, n2, n3]
            shutdown_priority: 10
            resources:
              - name: vip
                type: ocf
                agent: heartbeat:IPaddr2
                params: {ip: 198.18.0.100, cidr_netmask: 25}
                start_timeout: 20s
                stop_timeout: 2m
                monitor_timeout: 500ms
                monitor_interval: 0
              - name: svc
                type: exec
                start: /usr/local/bin/svc start
                stop: /usr/local/bin/svc stop
                monitor: /usr/local/bin/svc status
                env: {PORT: "8080", API_TOKEN: tok-123}
          - name: batch
            nodes: [n3]
            auto_start: false
        """;

    public const string TwoNodes = """
        cluster:
          name: pair
        nodes:
          - name: alpha
            id: 10
            interconnect: 10.1.0.1
          - name: beta
            id: 20
            interconnect: 10.1.0.2
        """;

    /// <summary>One monitor of each type of the monitors: list, with their settings spelled out or left to defaults.</summary>
    public const string WithMonitors = """
        cluster: {name: mon}
        node_actions: {type: system, panic: "logger -t palisade panic requested"}
        categories: [APP]
        nodes:
          - {name: n1, id: 1, interconnect: 198.18.0.11}
          - {name: n2, id: 2, interconnect: 198.18.0.12}
        groups:
          - name: web
            nodes: [n1, n2]
            resources:
              - {name: app, type: exec, start: /usr/local/bin/app start, stop: /usr/local/bin/app stop, monitor_interval: 0}
        monitors:
          - name: web-proc
            type: process
            target: web
            process: nginx
            min_count: 2
            interval: 2s
            timeout: 5s
            retries: 1
            timing: active
            start_delay: 3s
            recovery: {restart_limit: 2, failover_limit: 1, final_action: stop_group, reset_after: 10m}
          - {name: web-pid, type: process, target: web, pidfile: /run/nginx.pid}
          - {name: gateway, type: ip, target: web, addresses: [198.18.0.1, "fd00::1"], nodes: [n2]}
          - {name: uplink, type: nic, target: web, interface: eth1, on_timeout: ignore, recovery: {target: all_groups, failover_limit: 1}}
          - {name: data, type: disk, target: web, path: /dev/sdb}
          - {name: check, type: custom, target: web, command: "/usr/local/bin/check --quick"}
          - {name: app-check, type: resource, target: web, resource: web/app, interval: 5s, recovery: {target: web/app}}
          - {name: link, type: external, target: web, category: NIC, keyword: eth1, managed_by: server-management, recovery: {failover_outside_server_group: true}}
          - {name: app-alert, type: external, target: web, category: APP}
          - name: fixable
            type: custom
            target: web
            command: /usr/local/bin/check
            recovery: {script: /usr/local/bin/fix, script_limit: 2, pre_action: {script: /usr/local/bin/collect, timeout: 10s, before: [failover]}}
        """;
}
