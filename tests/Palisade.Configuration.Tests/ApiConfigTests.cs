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

    [Fact]
    public void Logins_map_unix_groups_to_roles_and_are_written_back_the_same()
    {
        var result = ConfigLoader.Parse(Head + """
            api:
              tokens: [{name: ops, role: admin, token_file: /etc/palisade/ops.token}]
              logins: {view: ha-view, operate: ha-ops, session: 2h}
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var logins = result.Config!.Api!.Logins!;
        Assert.Equal(("palisade", "ha-view", "ha-ops", (string?)null, TimeSpan.FromHours(2)), (logins.Service, logins.View, logins.Operate, logins.Admin, logins.Session));
        Assert.Equal(ApiRole.Operate, logins.RoleOf(["users", "ha-ops", "ha-view"]));
        Assert.Null(logins.RoleOf(["users"]));

        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(result.Config, redactSecrets: true), "again.yaml");
        Assert.True(again.Ok, string.Join('\n', again.Errors));
        Assert.Equal(logins, again.Config!.Api!.Logins);
    }

    [Theory]
    [InlineData("logins: {}", "c.yaml:6:11: api.logins.view: name at least one Unix group (view, operate or admin) whose users may log in")]
    [InlineData("logins: {view: Ops Team}", "c.yaml:6:18: api.logins.view: expected a Unix group name (a letter or '_', then up to 31 of a-z, 0-9, '_', '-'), got 'Ops Team'")]
    [InlineData("logins: {admin: wheel, service: 'pam/../x'}", "c.yaml:6:35: api.logins.service: expected 1 to 64 characters from a-z, A-Z, 0-9, '.', '_' and '-', got 'pam/../x'")]
    [InlineData("logins: {view: ops, session: 0s}", "c.yaml:6:32: api.logins.session: expected a duration between 1m and 24h, got '0s'")]
    [InlineData("logins: {view: ops, domain: x}", "c.yaml:6:23: api.logins.domain: unknown key 'domain' (expected one of: service, view, operate, admin, session)")]
    public void A_bad_logins_section_is_reported_at_its_place(string logins, string error)
    {
        var result = ConfigLoader.Parse(Head + $$"""
            api:
              tokens: [{name: ops, role: admin, token_file: /etc/palisade/ops.token}]
              {{logins}}
            """, "c.yaml");
        Assert.Equal([error], result.Errors.Select(e => e.ToString()).ToArray());
    }
}
