using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Configuration.Tests;

/// <summary>The <c>intake:</c> section: defaults, every field, each mistake at its place, and the written form read back.</summary>
public sealed class IntakeConfigTests
{
    private const string Head = """
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1, admin: 192.168.0.1}
          - {name: n2, id: 2, interconnect: 10.0.0.2}
          - {name: n3, id: 3, interconnect: 10.0.0.3, admin: 192.168.0.3}

        """;

    [Fact]
    public void A_minimal_section_gets_the_defaults_and_listens_on_the_admin_address()
    {
        var result = ConfigLoader.Parse(Head + """
            intake:
              certificate: /etc/palisade/intake.crt
              key: /etc/palisade/intake.key
              senders:
                - {name: bmc, token_file: /etc/palisade/bmc.token, allow: [192.168.0.0/24, 10.0.0.9]}
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var intake = result.Config!.Intake!;
        Assert.Equal(29002, intake.Port);
        Assert.Equal(IntakeListen.Admin, intake.Listen);
        Assert.Equal("192.168.0.1", intake.ListenOn(result.Config.FindNode("n1")!));
        Assert.Equal("10.0.0.2", intake.ListenOn(result.Config.FindNode("n2")!)); // no admin address: the interconnect
        var sender = Assert.Single(intake.Senders);
        Assert.Equal(["192.168.0.0/24", "10.0.0.9/32"], sender.Allow.ToArray());
        Assert.Equal([IntakeAction.Notify], sender.Actions.ToArray());
    }

    [Fact]
    public void Every_field_is_read_and_written_back_the_same()
    {
        var result = ConfigLoader.Parse(Head + """
            intake:
              port: 8443
              listen: any
              certificate: /srv/c.pem
              key: /srv/k.pem
              senders:
                - {name: mgmt, token_file: /srv/t1, allow: [192.168.0.0/24], actions: [notify, failover, script]}
                - {name: peer, token_file: /srv/t2, allow: ["10.0.0.0/8"], actions: [failover]}
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var intake = result.Config!.Intake!;
        Assert.Equal(8443, intake.Port);
        Assert.Equal("0.0.0.0", intake.ListenOn(result.Config.FindNode("n1")!));
        Assert.Equal([IntakeAction.Notify, IntakeAction.Failover, IntakeAction.Script], intake.Senders[0].Actions.ToArray());
        Assert.Equal([IntakeAction.Failover], intake.Senders[1].Actions.ToArray());

        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(result.Config, redactSecrets: true), "again.yaml");
        Assert.True(again.Ok, string.Join('\n', again.Errors));
        Assert.Equal(intake with { Senders = [] }, again.Config!.Intake! with { Senders = [] });
        Assert.Equal(intake.Senders.Select(s => (s.Name, s.TokenFile, string.Join(',', s.Allow), string.Join(',', s.Actions))),
            again.Config.Intake!.Senders.Select(s => (s.Name, s.TokenFile, string.Join(',', s.Allow), string.Join(',', s.Actions))));
    }

    [Theory]
    [InlineData("""
        intake:
          port: 0
          listen: everywhere
          certificate: relative.pem
          senders: []
        """, """
        c.yaml:7:3: intake.key: required; expected a non-empty text
        c.yaml:7:9: intake.port: expected an integer between 1 and 65535, got '0'
        c.yaml:8:11: intake.listen: expected one of admin, interconnect, any, got 'everywhere'
        c.yaml:9:16: intake.certificate: expected an absolute path, got 'relative.pem'
        c.yaml:10:12: intake.senders: expected a list of at least one sender (name, token_file, allow, actions), got an empty list
        """)]
    [InlineData("""
        intake:
          certificate: /c
          key: /k
          senders:
            - {name: a, token_file: t, allow: [300.1.1.1/8, 10.0.0.0/33, host], actions: [notify, reboot]}
            - {name: a, token_file: /t, allow: []}
            - {name: b, token_file: /t, allow: [10.0.0.1], colour: red}
        """, """
        c.yaml:10:29: intake.senders[0].token_file: expected an absolute path, got 't'
        c.yaml:10:40: intake.senders[0].allow[0]: expected a network such as 198.18.0.0/24 or an address, got '300.1.1.1/8'
        c.yaml:10:53: intake.senders[0].allow[1]: expected a network such as 198.18.0.0/24 or an address, got '10.0.0.0/33'
        c.yaml:10:66: intake.senders[0].allow[2]: expected a network such as 198.18.0.0/24 or an address, got 'host'
        c.yaml:10:91: intake.senders[0].actions[1]: unknown action 'reboot' (expected notify, failover, script)
        c.yaml:11:14: intake.senders[1].name: duplicate sender name 'a' (also at line 10)
        c.yaml:11:40: intake.senders[1].allow: expected a list of networks (198.18.0.0/24) or addresses the sender may connect from, got an empty list
        c.yaml:12:52: intake.senders[2].colour: unknown key 'colour' (expected one of: name, token_file, allow, actions)
        """)]
    public void Each_mistake_is_reported_at_its_place(string section, string expected)
    {
        var result = ConfigLoader.Parse(Head + section, "c.yaml");
        Assert.False(result.Ok);
        Assert.Equal(expected.Split('\n'), result.Errors.Select(e => e.ToString()));
    }
}

/// <summary>The <c>sources:</c> section: links and the kernel log, their defaults and mistakes.</summary>
public sealed class SourcesConfigTests
{
    private const string Head = """
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}

        """;

    [Fact]
    public void Links_and_the_kernel_log_are_read_with_their_defaults_and_written_back()
    {
        var result = ConfigLoader.Parse(Head + """
            sources:
              links: [eth1, bond0.100]
              kernel_log:
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var sources = result.Config!.Sources;
        Assert.Equal(["eth1", "bond0.100"], sources.Links.ToArray());
        Assert.Equal("/dev/kmsg", sources.KernelLog!.Path);
        Assert.Empty(sources.KernelLog.Rules);

        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(result.Config, redactSecrets: true), "again.yaml");
        Assert.True(again.Ok, string.Join('\n', again.Errors));
        Assert.Equal(sources.Links.ToArray(), again.Config!.Sources.Links.ToArray());
        Assert.Equal(sources.KernelLog, again.Config.Sources.KernelLog! with { Rules = [] });
        Assert.False(ConfigLoader.Parse(Head, "c.yaml").Config!.Sources.Any);
    }

    [Fact]
    public void Rasdaemon_is_read_with_its_defaults_and_its_mistakes_at_their_place()
    {
        var result = ConfigLoader.Parse(Head + "sources:\n  rasdaemon:\n", "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal(new RasdaemonSource(), result.Config!.Sources.Rasdaemon);

        var custom = ConfigLoader.Parse(Head + "sources:\n  rasdaemon: {database: /srv/ras.db, interval: 2s}\n", "c.yaml");
        Assert.True(custom.Ok, string.Join('\n', custom.Errors));
        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(custom.Config!, redactSecrets: true), "again.yaml");
        Assert.Equal(new RasdaemonSource { Database = "/srv/ras.db", Interval = TimeSpan.FromSeconds(2) }, again.Config!.Sources.Rasdaemon);

        var bad = ConfigLoader.Parse(Head + "sources:\n  rasdaemon: {database: ras.db, interval: 0s, table: mc}\n", "c.yaml");
        Assert.Equal(
        [
            "c.yaml:5:25: sources.rasdaemon.database: expected an absolute path, got 'ras.db'",
            "c.yaml:5:43: sources.rasdaemon.interval: expected a duration between 1s and 24h, got '0s'",
            "c.yaml:5:47: sources.rasdaemon.table: unknown key 'table' (expected one of: database, interval)",
        ], bad.Errors.Select(e => e.ToString()).ToArray());
    }

    [Fact]
    public void Each_mistake_is_reported_at_its_place()
    {
        var result = ConfigLoader.Parse(Head + """
            sources:
              links: [eth1, "has space", eth1, interface-name-too-long]
              kernel_log: {path: kmsg, rules: [rules.d], colour: red}
              netlink: yes
            """, "c.yaml");
        Assert.Equal(
        [
            "c.yaml:5:17: sources.links[1]: expected an interface name (1 to 15 bytes, no '/' or spaces), got 'has space'",
            "c.yaml:5:30: sources.links[2]: 'eth1' is listed twice",
            "c.yaml:5:36: sources.links[3]: expected an interface name (1 to 15 bytes, no '/' or spaces), got 'interface-name-too-long'",
            "c.yaml:6:22: sources.kernel_log.path: expected an absolute path, got 'kmsg'",
            "c.yaml:6:36: sources.kernel_log.rules[0]: expected an absolute path of a rule file or directory, got 'rules.d'",
            "c.yaml:6:46: sources.kernel_log.colour: unknown key 'colour' (expected one of: path, rules)",
            "c.yaml:7:3: sources.netlink: unknown key 'netlink' (expected one of: links, kernel_log, redfish_events, rasdaemon)",
        ], result.Errors.Select(e => e.ToString()).ToArray());
    }
}

/// <summary><c>sources.redfish_events</c>: whose BMCs are followed, how, and what it needs from the rest of the file.</summary>
public sealed class RedfishEventsConfigTests
{
    private const string Head = """
        cluster: {name: lab}
        nodes:
          - name: n1
            id: 1
            interconnect: 10.0.0.1
            shutdown_agents:
              - {type: redfish, address: 192.168.1.1, user: admin, password_file: /etc/palisade/bmc.pass}
          - name: n2
            id: 2
            interconnect: 10.0.0.2
            shutdown_agents:
              - {type: irmc, address: 192.168.1.2, user: admin, password_file: /etc/palisade/bmc.pass}
          - name: n3
            id: 3
            interconnect: 10.0.0.3
            shutdown_agents:
              - {type: ipmi, address: 192.168.1.3, user: admin, password_file: /etc/palisade/bmc.pass}
        intake:
          certificate: /etc/palisade/intake.crt
          key: /etc/palisade/intake.key
          senders:
            - {name: bmc, token_file: /etc/palisade/bmc.token, allow: [192.168.1.0/24]}
            - {name: ops, token_file: /etc/palisade/ops.token, allow: [192.168.2.0/24], actions: [failover]}

        """;

    [Fact]
    public void Push_follows_every_other_node_with_a_Redfish_BMC_and_is_written_back_the_same()
    {
        var result = ConfigLoader.Parse(Head + """
            sources:
              redfish_events: {sender: bmc}
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var redfish = result.Config!.Sources.RedfishEvents!;
        Assert.Equal((RedfishDelivery.Push, "bmc"), (redfish.Delivery, redfish.Sender));
        Assert.Equal(["n2"], redfish.FollowedFrom(result.Config, "n1").Select(n => n.Name).ToArray());
        Assert.Equal(["n1", "n2"], redfish.FollowedFrom(result.Config, "n3").Select(n => n.Name).ToArray());

        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(result.Config, redactSecrets: true), "again.yaml");
        Assert.True(again.Ok, string.Join('\n', again.Errors));
        Assert.Equal(redfish.Sender, again.Config!.Sources.RedfishEvents!.Sender);
    }

    [Fact]
    public void Sse_needs_no_sender_and_may_name_the_nodes()
    {
        var result = ConfigLoader.Parse(Head + """
            sources:
              redfish_events: {delivery: sse, nodes: [n1]}
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var redfish = result.Config!.Sources.RedfishEvents!;
        Assert.Equal(RedfishDelivery.Sse, redfish.Delivery);
        Assert.Equal(["n1"], redfish.FollowedFrom(result.Config, "n3").Select(n => n.Name).ToArray());
        Assert.Empty(redfish.FollowedFrom(result.Config, "n1"));
        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(result.Config, redactSecrets: true), "again.yaml");
        Assert.Equal(redfish.Nodes.ToArray(), again.Config!.Sources.RedfishEvents!.Nodes.ToArray());
    }

    [Theory]
    [InlineData("redfish_events: {delivery: poll, sender: bmc}", "c.yaml:25:30: sources.redfish_events.delivery: expected push or sse, got 'poll'")]
    [InlineData("redfish_events: {}", "c.yaml:25:19: sources.redfish_events.sender: delivery push needs a sender: the intake sender whose token the BMCs present (one of bmc, ops)")]
    [InlineData("redfish_events: {sender: bmcs}", "c.yaml:25:28: sources.redfish_events.sender: 'bmcs' is not a sender of intake.senders (bmc, ops)")]
    [InlineData("redfish_events: {sender: ops}", "c.yaml:25:28: sources.redfish_events.sender: sender 'ops' may not send messages (its actions lack notify)")]
    [InlineData("redfish_events: {delivery: sse, nodes: [n3, n9]}", "c.yaml:25:43: sources.redfish_events.nodes[0]: node 'n3' has no redfish or irmc shutdown agent: its BMC cannot be followed\nc.yaml:25:47: sources.redfish_events.nodes[1]: 'n9' is not a node of this cluster")]
    [InlineData("redfish_events: {delivery: sse, colour: red}", "c.yaml:25:35: sources.redfish_events.colour: unknown key 'colour' (expected one of: delivery, sender, nodes)")]
    public void Each_mistake_is_reported_at_its_place(string line, string expected)
    {
        var result = ConfigLoader.Parse(Head + "sources:\n  " + line + "\n", "c.yaml");
        Assert.False(result.Ok);
        Assert.Equal(expected.Split('\n'), result.Errors.Select(e => e.ToString()).ToArray());
    }

    [Fact]
    public void Push_without_an_intake_is_refused_with_the_way_out()
    {
        var head = Head[..Head.IndexOf("intake:", StringComparison.Ordinal)];
        var result = ConfigLoader.Parse(head + "sources:\n  redfish_events: {sender: bmc}\n", "c.yaml");
        Assert.Equal(["c.yaml:19:19: sources.redfish_events: delivery push needs the HTTPS intake (an intake: section): the BMCs post their events there; or use delivery: sse"],
            result.Errors.Select(e => e.ToString()).ToArray());
    }
}
