using System.Text.Json;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Configuration.Tests;

public sealed class ConfigYamlWriterTests
{
    /// <summary>Strings that only survive a round trip when the writer quotes and escapes them.</summary>
    private const string AwkwardStrings = """
        cluster: {name: odd}
        nodes:
          - name: a
            id: 4294967294
            interconnect: ["fd00::1", "fd00:0:0:1::1"]
            server_group: "-site"
            shutdown_agents:
              - type: ipmi
                address: "::1"
                user: "#root: x"
                password: "'quoted' \"double\" \\ back"
                privilege: user
              - type: ipmi
                address: bmc.example.net
                user: "null"
                password_file: "/run/secrets/a b#c"
        groups:
          - name: g
            nodes: [a]
            auto_start: false
            resources:
              - name: r
                type: exec
                start: "printf 'a\tb\n' > /tmp/x; echo \"done\" # ok"
                stop: "  leading and trailing  "
                monitor: "true"
                env: {EMPTY: "", TILDE: "~", YES: "yes", COLON: "a: b", LIST: "[1, 2]", UNICODE: "é€ \u2028 x", STAR: "*x"}
        """;

    private static ClusterConfig Load(string yaml, string name = "cluster.yaml")
    {
        var result = ConfigLoader.Parse(yaml, name);
        Assert.Empty(result.Errors.Select(e => e.ToString()));
        return result.Config!;
    }

    /// <summary>Records holding immutable arrays compare by reference; their JSON form compares by content.</summary>
    private static string Content(ClusterConfig config) => JsonSerializer.Serialize(config with { SourcePath = null });

    [Theory]
    [InlineData(Examples.ThreeNodes)]
    [InlineData(Examples.TwoNodes)]
    [InlineData(Examples.WithMonitors)]
    [InlineData(AwkwardStrings)]
    public void Written_yaml_reads_back_to_the_same_config(string yaml)
    {
        var config = Load(yaml);
        AssertRoundTrip(config);
        AssertRoundTrip(config with { Totem = config.Totem with { Crypto = false } });
    }

    private static void AssertRoundTrip(ClusterConfig config)
    {
        var written = ConfigYamlWriter.Write(config, redactSecrets: false);
        var reread = Load(written, "written.yaml");

        Assert.Equal(Content(config), Content(reread));
        Assert.Equal(written, ConfigYamlWriter.Write(reread, redactSecrets: false));
    }

    [Fact]
    public void Awkward_strings_survive_exactly()
    {
        var config = Load(ConfigYamlWriter.Write(Load(AwkwardStrings), redactSecrets: false));

        var node = config.Nodes[0];
        Assert.Equal<string>(["fd00::1", "fd00:0:0:1::1"], node.Interconnect);
        Assert.Equal("-site", node.ServerGroup);
        Assert.Equal("'quoted' \"double\" \\ back", node.ShutdownAgents[0].Parameters["password"]);
        Assert.Equal("USER", node.ShutdownAgents[0].Parameters["privilege"]);
        Assert.Equal("null", node.ShutdownAgents[1].Parameters["user"]);
        var r = config.Groups[0].Resources[0];
        Assert.Equal("printf 'a\tb\n' > /tmp/x; echo \"done\" # ok", r.StartCommand);
        Assert.Equal("  leading and trailing  ", r.StopCommand);
        Assert.Equal("", r.Parameters["EMPTY"]);
        Assert.Equal("~", r.Parameters["TILDE"]);
        Assert.Equal("é€ \u2028 x", r.Parameters["UNICODE"]);
        Assert.Equal("[1, 2]", r.Parameters["LIST"]);
    }

    [Fact]
    public void Full_example_is_written_with_every_default_spelled_out()
    {
        var written = ConfigYamlWriter.Write(Load(Examples.TwoNodes), redactSecrets: false);

        Assert.Equal("""
            # Palisade cluster configuration
            cluster:
              name: pair
              token: 1000
              transport: knet
              wait_for_all: true
            shutdown:
              test_interval: 10m
              partition_delay: 10s
              history_limit: 500
              advert_port: 7411
              watchdog_timeout: 10s
            nodes:
              - name: alpha
                id: 10
                interconnect: [10.1.0.1]
                weight: 1
              - name: beta
                id: 20
                interconnect: [10.1.0.2]
                weight: 1
            groups: []

            """, written);
    }

    [Fact]
    public void Redacted_form_hides_every_secret_and_keeps_the_rest()
    {
        var config = Load(Examples.ThreeNodes);

        var redacted = ConfigYamlWriter.Write(config, redactSecrets: true);

        Assert.DoesNotContain("s3cr3t", redacted, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-123", redacted, StringComparison.Ordinal);
        Assert.Contains("        password: \"********\"\n", redacted, StringComparison.Ordinal);
        Assert.Contains("          API_TOKEN: \"********\"\n", redacted, StringComparison.Ordinal);
        Assert.Contains("        password_file: /etc/palisade/bmc-n1.pass\n", redacted, StringComparison.Ordinal);
        Assert.Contains("          PORT: 8080\n", redacted, StringComparison.Ordinal);

        var reread = Load(redacted);
        Assert.Equal(SecretNames.Redacted, reread.Nodes[1].ShutdownAgents[0].Parameters["password"]);
        Assert.Equal(SecretNames.Redacted, reread.Groups[0].Resources[1].Parameters["API_TOKEN"]);
        Assert.Equal(Content(config).Replace("s3cr3t: n2", SecretNames.Redacted).Replace("tok-123", SecretNames.Redacted), Content(reread));
    }

    [Fact]
    public void Unredacted_form_keeps_secrets()
    {
        var written = ConfigYamlWriter.Write(Load(Examples.ThreeNodes), redactSecrets: false);

        Assert.Contains("        password: \"s3cr3t: n2\"\n", written, StringComparison.Ordinal);
        Assert.Contains("          API_TOKEN: tok-123\n", written, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretNames.Redacted, written, StringComparison.Ordinal);
    }
}
