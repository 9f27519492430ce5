using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Configuration.Tests;

/// <summary>The <c>api:</c> section: defaults, TLS off the loopback, roles, and the written form read back.</summary>
public sealed class ApiConfigTests
{
    private const string Head = """
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1, admin: 192.168.0.1}

        """;

    [Fact]
    public void On_loopback_plain_HTTP_is_the_default_and_the_section_is_written_back_the_same()
    {
        var result = ConfigLoader.Parse(Head + """
            api:
              tokens:
                - {name: grafana, role: view, token_file: /etc/palisade/grafana.token}
                - {name: ops, role: operate, token_file: /etc/palisade/ops.token}
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var api = result.Config!.Api!;
        Assert.Equal((29003, ApiListen.Loopback, null), (api.Port, api.Listen, api.Certificate));
        Assert.Equal("127.0.0.1", api.ListenOn(result.Config.FindNode("n1")!));
        Assert.Equal([ApiRole.View, ApiRole.Operate], api.Tokens.Select(t => t.Role).ToArray());

        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(result.Config, redactSecrets: true), "again.yaml");
        Assert.True(again.Ok, string.Join('\n', again.Errors));
        Assert.Equal(api.Tokens.ToArray(), again.Config!.Api!.Tokens.ToArray());
    }

    [Fact]
    public void On_the_network_it_needs_a_certificate_and_listens_on_the_admin_address()
    {
        var result = ConfigLoader.Parse(Head + """
            api:
              listen: admin
              certificate: /etc/palisade/api.crt
              key: /etc/palisade/api.key
              tokens: [{name: ops, role: admin, token_file: /etc/palisade/ops.token}]
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal("192.168.0.1", result.Config!.Api!.ListenOn(result.Config.FindNode("n1")!));
    }

    [Fact]
    public void Each_mistake_is_reported_at_its_place()
    {
        var result = ConfigLoader.Parse(Head + """
            api:
              listen: any
              tokens:
                - {name: ops, role: root, token_file: ops.token}
            """, "c.yaml");
        Assert.Equal(
        [
            "c.yaml:5:11: api.listen: an API on the network needs TLS: give certificate and key (plain HTTP only with listen: loopback)",
            "c.yaml:7:25: api.tokens[0].role: expected one of view, operate, admin, got 'root'",
            "c.yaml:7:43: api.tokens[0].token_file: expected an absolute path, got 'ops.token'",
        ], result.Errors.Select(e => e.ToString()).ToArray());
    }
}
