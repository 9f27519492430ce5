using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Configuration.Tests;

public sealed class ValidConfigTests
{
    private static ClusterConfig Load(string yaml)
    {
        var result = ConfigLoader.Parse(yaml, "cluster.yaml");
        Assert.Empty(result.Errors.Select(e => e.ToString()));
        Assert.True(result.Ok);
        return result.Config!;
    }

    [Fact]
    public void Cluster_section_is_read()
    {
        var config = Load(Examples.ThreeNodes);

        Assert.Equal("lab", config.Name);
        Assert.Equal("cluster.yaml", config.SourcePath);
        Assert.Equal(1500, config.Totem.TokenMs);
        Assert.Equal(0, config.Totem.TokenCoefficientMs);
        Assert.Equal("knet", config.Totem.Transport);
        Assert.False(config.Totem.WaitForAll);
    }

    [Fact]
    public void Nodes_are_read_with_defaults_applied()
    {
        var config = Load(Examples.ThreeNodes);

        Assert.Equal<string>(["n1", "n2", "n3"], config.Nodes.Select(n => n.Name));
        var n1 = config.Nodes[0];
        Assert.Equal(1u, n1.Id);
        Assert.Equal<string>(["198.18.0.11", "198.18.0.21"], n1.Interconnect);
        Assert.Equal("198.18.0.141", n1.Admin);
        Assert.Equal(3, n1.Weight);
        Assert.Equal("site-a", n1.ServerGroup);

        var n3 = config.Nodes[2];
        Assert.Equal(3u, n3.Id);
        Assert.Null(n3.Admin);
        Assert.Equal(1, n3.Weight);
        Assert.Equal("site-b", n3.ServerGroup);
        Assert.Empty(n3.ShutdownAgents);
    }

    [Fact]
    public void Ipmi_agents_are_read_as_written_in_canonical_spelling()
    {
        var config = Load(Examples.ThreeNodes);

        var first = Assert.Single(config.Nodes[0].ShutdownAgents);
        Assert.Equal("ipmi", first.Type);
        Assert.Equal(TimeSpan.FromSeconds(10), first.Timeout);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["address"] = "198.18.0.201",
                ["cipher"] = "3",
                ["password_file"] = "/etc/palisade/bmc-n1.pass",
                ["port"] = "6230",
                ["user"] = "admin",
            },
            first.Parameters);

        var second = Assert.Single(config.Nodes[1].ShutdownAgents);
        Assert.Equal(TimeSpan.FromSeconds(20), second.Timeout);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["address"] = "bmc-n2.example.net",
                ["method"] = "cycle",
                ["password"] = "s3cr3t: n2",
                ["privilege"] = "OPERATOR",
                ["user"] = "operator",
            },
            second.Parameters);
    }

    [Fact]
    public void Groups_are_read_with_defaults_applied()
    {
        var config = Load(Examples.ThreeNodes);

        var web = config.FindGroup("web")!;
        Assert.Equal<string>(["n1", "n2", "n3"], web.Nodes);
        Assert.Equal(10, web.ShutdownPriority);
        Assert.True(web.AutoStart);
        Assert.Equal<string>(["vip", "svc"], web.Resources.Select(r => r.Name));

        var batch = config.FindGroup("batch")!;
        Assert.Equal<string>(["n3"], batch.Nodes);
        Assert.Equal(0, batch.ShutdownPriority);
        Assert.False(batch.AutoStart);
        Assert.Empty(batch.Resources);
    }

    [Fact]
    public void Ocf_resource_is_read()
    {
        var vip = Load(Examples.ThreeNodes).Groups[0].Resources[0];

        Assert.Equal(ResourceKind.Ocf, vip.Kind);
        Assert.Equal("heartbeat:IPaddr2", vip.Agent);
        Assert.Equal(new Dictionary<string, string> { ["cidr_netmask"] = "25", ["ip"] = "198.18.0.100" }, vip.Parameters);
        Assert.Null(vip.StartCommand);
        Assert.Null(vip.StopCommand);
        Assert.Null(vip.MonitorCommand);
        Assert.Equal(TimeSpan.FromSeconds(20), vip.StartTimeout);
        Assert.Equal(TimeSpan.FromMinutes(2), vip.StopTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), vip.MonitorTimeout);
        Assert.Equal(TimeSpan.Zero, vip.MonitorInterval);
    }

    [Fact]
    public void Exec_resource_is_read_with_default_timings()
    {
        var svc = Load(Examples.ThreeNodes).Groups[0].Resources[1];

        Assert.Equal(ResourceKind.Exec, svc.Kind);
        Assert.Null(svc.Agent);
        Assert.Equal("/usr/local/bin/svc start", svc.StartCommand);
        Assert.Equal("/usr/local/bin/svc stop", svc.StopCommand);
        Assert.Equal("/usr/local/bin/svc status", svc.MonitorCommand);
        Assert.Equal(new Dictionary<string, string> { ["API_TOKEN"] = "tok-123", ["PORT"] = "8080" }, svc.Parameters);
        Assert.Equal(TimeSpan.FromSeconds(30), svc.StartTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), svc.StopTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), svc.MonitorTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), svc.MonitorInterval);
    }

    [Fact]
    public void Minimal_file_gets_every_default()
    {
        var config = Load(Examples.TwoNodes);

        Assert.Equal(1000, config.Totem.TokenMs);
        Assert.Null(config.Totem.TokenCoefficientMs);
        Assert.Equal("knet", config.Totem.Transport);
        Assert.True(config.Totem.WaitForAll);
        Assert.True(config.Totem.Crypto);
        Assert.Equal<string>(["10.1.0.1"], config.Nodes[0].Interconnect);
        Assert.Equal<uint>([10u, 20u], config.Nodes.Select(n => n.Id));
        Assert.Empty(config.Groups);
    }

    [Fact]
    public void Crypto_can_be_turned_off_explicitly_even_for_udpu()
    {
        var config = Load(Examples.TwoNodes.Replace("name: pair", "name: pair\n  transport: udpu\n  crypto: false", StringComparison.Ordinal));

        Assert.False(config.Totem.Crypto);
        Assert.Equal("udpu", config.Totem.Transport);
    }

    [Fact]
    public void Ipv6_addresses_are_accepted_in_canonical_form()
    {
        var config = Load("""
            cluster: {name: v6}
            nodes:
              - {name: a, id: 1, interconnect: ["FD00:0:0::1"], admin: "fd01::0001"}
            """);

        Assert.Equal<string>(["fd00::1"], config.Nodes[0].Interconnect);
        Assert.Equal("fd01::1", config.Nodes[0].Admin);
    }

    [Fact]
    public void Duration_forms_are_understood()
    {
        var config = Load("""
            cluster: {name: d}
            nodes:
              - name: a
                id: 1
                interconnect: 10.0.0.1
            groups:
              - name: g
                nodes: [a]
                resources:
                  - {name: r, type: exec, start: "true", stop: "true", start_timeout: 45, stop_timeout: 1h, monitor_timeout: 250ms, monitor_interval: 3m}
            """);

        var r = config.Groups[0].Resources[0];
        Assert.Equal(TimeSpan.FromSeconds(45), r.StartTimeout);
        Assert.Equal(TimeSpan.FromHours(1), r.StopTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(250), r.MonitorTimeout);
        Assert.Equal(TimeSpan.FromMinutes(3), r.MonitorInterval);
    }

    [Fact]
    public void LoadFile_reads_a_file_and_names_it_in_the_result()
    {
        var path = Path.Combine(Path.GetTempPath(), $"palisade-config-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, Examples.TwoNodes);
            var result = ConfigLoader.LoadFile(path);
            Assert.True(result.Ok);
            Assert.Equal(path, result.Config!.SourcePath);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadFile_reports_a_missing_file_as_one_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"palisade-missing-{Guid.NewGuid():N}.yaml");

        var result = ConfigLoader.LoadFile(path);

        Assert.False(result.Ok);
        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal((path, 0, 0, "(file)"), (error.File, error.Line, error.Column, error.Field));
        Assert.StartsWith("cannot read the file: Could not find file", error.Message, StringComparison.Ordinal);
    }
    [Fact]
    public void A_resource_monitor_recovery_is_read_from_a_template_with_limits_that_win_and_defaults_otherwise()
    {
        var config = Load("""
            cluster: {name: lab}
            nodes:
              - {name: n1, id: 1, interconnect: 10.0.0.1}
            groups:
              - name: web
                nodes: [n1]
                resources:
                  - {name: a, type: exec, start: /bin/true, stop: /bin/true}
                  - name: b
                    type: exec
                    start: /bin/true
                    stop: /bin/true
                    monitor_retries: 2
                    recovery: {action: failover, failover_limit: 3, final_action: stop_group, reset_after: 10m}
            """);

        var (a, b) = (config.Groups[0].Resources[0], config.Groups[0].Resources[1]);
        Assert.Equal(RecoveryConfig.ResourceDefault, a.Recovery);
        Assert.Equal((1, 1, FinalAction.None, (TimeSpan?)null), (a.Recovery.RestartLimit, a.Recovery.FailoverLimit, a.Recovery.FinalAction, a.Recovery.ResetAfter));
        Assert.Equal(0, a.MonitorRetries);
        Assert.Equal((0, 3, FinalAction.StopGroup, (TimeSpan?)TimeSpan.FromMinutes(10)), (b.Recovery.RestartLimit, b.Recovery.FailoverLimit, b.Recovery.FinalAction, b.Recovery.ResetAfter));
        Assert.Equal(2, b.MonitorRetries);
    }
    [Fact]
    public void Server_groups_are_read()
    {
        var config = Load("""
            cluster: {name: lab}
            nodes:
              - {name: n1, id: 1, interconnect: 10.0.0.1}
              - {name: n2, id: 2, interconnect: 10.0.0.2}
              - {name: n3, id: 3, interconnect: 10.0.0.3}
            server_groups:
              - {name: site-a, nodes: [n1, n2]}
              - {name: site-b, nodes: [n3]}
            """);

        Assert.Equal(["site-a", "site-b"], config.ServerGroups.Select(g => g.Name));
        Assert.Equal("site-a", config.ServerGroupOf("n2")?.Name);
        Assert.Equal("site-b", config.ServerGroupOf("n3")?.Name);
    }

    [Fact]
    public void Monitors_of_each_type_read_with_their_settings_and_defaults()
    {
        var config = Load(Examples.WithMonitors);

        Assert.Equal(["web-proc", "web-pid", "gateway", "uplink", "data", "check", "app-check", "link", "app-alert", "fixable"], config.Monitors.Select(m => m.Name));
        var link = config.FindMonitor("link")!;
        Assert.Equal((MonitorKind.External, "NIC", "eth1", "server-management", true), (link.Kind, link.Category, link.Keyword, link.ManagedBy, link.Recovery.FailoverOutsideServerGroup));
        Assert.Equal(["APP"], config.Categories.ToArray());
        Assert.Equal((MonitorKind.Resource, "web/app"), (config.FindMonitor("app-check")!.Kind, config.FindMonitor("app-check")!.Resource));
        var fixable = config.FindMonitor("fixable")!.Recovery;
        Assert.Equal(("/usr/local/bin/fix", 2, TimeSpan.FromSeconds(30)), (fixable.Script, fixable.ScriptLimit, fixable.ScriptTimeout));
        Assert.Equal(("/usr/local/bin/collect", TimeSpan.FromSeconds(10)), (fixable.PreAction!.Script, fixable.PreAction.Timeout));
        Assert.Equal<string>(["failover"], fixable.PreAction.Before);
        var proc = config.FindMonitor("web-proc")!;
        Assert.Equal((MonitorKind.Process, "web", "nginx", 2), (proc.Kind, proc.Target, proc.Process, proc.MinCount));
        Assert.Equal((TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), 1, TimeSpan.FromSeconds(3), MonitorTiming.Active),
            (proc.Interval, proc.Timeout, proc.Retries, proc.StartDelay, proc.Timing));
        Assert.Equal(new RecoveryConfig { RestartLimit = 2, FailoverLimit = 1, FinalAction = FinalAction.StopGroup, ResetAfter = TimeSpan.FromMinutes(10) }, proc.Recovery);

        var pid = config.FindMonitor("web-pid")!;
        Assert.Equal(("/run/nginx.pid", (string?)null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), 0, MonitorTiming.Always, true),
            (pid.PidFile, pid.Process, pid.Interval, pid.Timeout, pid.Retries, pid.Timing, pid.TimeoutIsError));
        Assert.Equal(RecoveryConfig.ResourceDefault, pid.Recovery);
        Assert.Equal<string>(["n1", "n2"], pid.NodesFor(config.Groups[0]));

        var gateway = config.FindMonitor("gateway")!;
        Assert.Equal<string>(["198.18.0.1", "fd00::1"], gateway.Addresses);
        Assert.Equal<string>(["n2"], gateway.NodesFor(config.Groups[0]));
        Assert.Equal(("eth1", false), (config.FindMonitor("uplink")!.Interface, config.FindMonitor("uplink")!.TimeoutIsError));
        Assert.Equal(RecoveryScope.AllGroups, config.FindMonitor("uplink")!.Recovery.Scope);
        Assert.Equal((RecoveryScope.Resource, "app"), (config.FindMonitor("app-check")!.Recovery.Scope, config.FindMonitor("app-check")!.Recovery.Resource));
        Assert.Equal(RecoveryScope.Group, config.FindMonitor("web-proc")!.Recovery.Scope);
        Assert.Equal((true, NodeActionsConfig.DefaultPowerOff, NodeActionsConfig.DefaultReboot, "logger -t palisade panic requested"),
            (config.NodeActions.System, config.NodeActions.PowerOff, config.NodeActions.Reboot, config.NodeActions.Panic));
        Assert.Equal("/dev/sdb", config.FindMonitor("data")!.Path);
        Assert.Equal("/usr/local/bin/check --quick", config.FindMonitor("check")!.Command);
    }
}
