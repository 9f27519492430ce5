using Xunit;

namespace Palisade.Configuration.Tests;

public sealed class ShutdownConfigWriterTests
{
    private const string File = """
        cluster: {name: lab}
        shutdown: {test_interval: 2m}
        nodes:
          - name: n1
            id: 1
            interconnect: [10.0.0.1]
            admin: 10.1.0.1
            weight: 3
            shutdown_agents:
              - {type: ipmi, address: 10.2.0.1, user: admin, password: Pw-ipmi-81, timeout: 8s}
              - {type: aws, plug: i-0abc, access_key: AKIAEXAMPLE, secret_key: Sk-aws-77, region: eu-west-1}
          - {name: n2, id: 2, interconnect: [10.0.0.2]}
        """;

    [Fact]
    public void Effective_configuration_marks_defaults_and_redacts_every_secret()
    {
        var config = ConfigLoader.Parse(File, "c.yaml").Config!;

        var text = ShutdownConfigWriter.Write(config);

        Assert.Equal("""
            # effective shutdown configuration (secrets redacted)
            shutdown:
              test_interval: 2m
              partition_delay: 10s
              history_limit: 500
              advert_port: 7411
              watchdog_timeout: 10s
              two_node: true
            nodes:
              - name: n1
                weight: 3
                admin: 10.1.0.1
                shutdown_agents:
                  - type: ipmi
                    timeout: 8s
                    address: 10.2.0.1
                    port: 623  # default
                    user: admin
                    password: "********"
                    cipher: 3  # default
                    privilege: ADMINISTRATOR  # default
                    method: onoff  # default
                  - type: aws
                    timeout: 20s
                    agent: fence_aws  # preset
                    plug: i-0abc
                    action: "off"  # default
                    access_key: "********"
                    region: eu-west-1
                    secret_key: "********"
              - name: n2
                weight: 1
                admin: none  # partition adverts cannot reach this node
                shutdown_agents: []  # this node cannot be fenced

            """, text);
        Assert.DoesNotContain("Pw-ipmi-81", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Sk-aws-77", text, StringComparison.Ordinal);
    }
}
