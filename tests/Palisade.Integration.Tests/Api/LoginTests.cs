using System.Text.Json;
using Palisade.Integration.Tests.Failover;
using Xunit;

namespace Palisade.Integration.Tests.Api;

/// <summary>
/// PAM logins of the installed palisaded: the lab's Unix users (in the nodes' own account files) log in with their
/// password, get the role of their group, and their session token works as a bearer token until logout.
/// </summary>
[Collection("lab")]
public sealed class LoginTests
{
    private static async Task<(int Code, JsonElement Body)> PostAsync(ClusterLab c, string node, string path, string body, string? bearer = null)
    {
        var auth = bearer is null ? "" : $"-H 'Authorization: Bearer {bearer}' ";
        var script = $"curl -s -w '\\n%{{http_code}}' -X POST {auth}-H 'Content-Type: application/json' --data-binary @- \"$(cat /etc/palisade/api.url){path}\"";
        var r = await c.Lab.ExecCaptureAsync(node, ["sh", "-c", $"printf '%s' '{body}' | {script}"], TimeSpan.FromSeconds(30), c.Ct);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var cut = r.Stdout.LastIndexOf('\n');
        var code = int.Parse(r.Stdout[(cut + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        using var doc = JsonDocument.Parse(cut <= 0 ? "{}" : r.Stdout[..cut]);
        return (code, doc.RootElement.Clone());
    }

    private static async Task<string> CodeAsync(ClusterLab c, string node, string method, string path, string bearer) =>
        (await c.Lab.ExecCaptureAsync(node, ["sh", "-c", $"curl -s -o /dev/null -w '%{{http_code}}' -X {method} -H 'Authorization: Bearer {bearer}' \"$(cat /etc/palisade/api.url){path}\""],
            TimeSpan.FromSeconds(30), c.Ct)).Stdout;

    [Fact]
    public async Task AUnixUserLogsInWithTheRoleOfItsGroupAndBadLoginsAreRefusedAndRateLimited()
    {
        await using var c = await ClusterLab.UpAsync();
        var password = File.ReadAllText(Path.Combine(c.Lab.StatePath, "nodes", "n2", "etc-palisade", "web-password")).Trim();

        // The operator logs in on n2: a session with role operate, usable as a bearer token.
        var (code, body) = await PostAsync(c, "n2", "/api/v1/login", $"{{\"user\":\"lab-operator\",\"password\":\"{password}\"}}");
        Assert.Equal(200, code);
        Assert.Equal("operate", body.GetProperty("role").GetString());
        var session = body.GetProperty("token").GetString()!;
        Assert.Equal("200", await CodeAsync(c, "n2", "GET", "/api/v1/cluster", session));
        Assert.Equal("200", await CodeAsync(c, "n2", "POST", "/api/v1/groups/web/move?dry_run=true", session));
        Assert.Equal("403", await CodeAsync(c, "n2", "POST", "/api/v1/fencing/n1/kill?dry_run=true", session));

        // The viewer reads but may not act; a user in no login group, a wrong password and a bad body are refused.
        (code, body) = await PostAsync(c, "n2", "/api/v1/login", $"{{\"user\":\"lab-viewer\",\"password\":\"{password}\"}}");
        Assert.Equal((200, "view"), (code, body.GetProperty("role").GetString()));
        Assert.Equal("403", await CodeAsync(c, "n2", "POST", "/api/v1/groups/web/move?dry_run=true", body.GetProperty("token").GetString()!));
        (code, body) = await PostAsync(c, "n2", "/api/v1/login", $"{{\"user\":\"lab-outsider\",\"password\":\"{password}\"}}");
        Assert.Equal(403, code);
        Assert.Contains("lab-outsider is in none of the groups that may log in", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        (code, body) = await PostAsync(c, "n2", "/api/v1/login", "{\"user\":\"lab-operator\",\"password\":\"not-the-password\"}");
        Assert.Equal(401, code);
        Assert.Equal("the user name or password was not accepted", body.GetProperty("detail").GetString());
        (code, _) = await PostAsync(c, "n2", "/api/v1/login", "{\"user\":\"../etc\",\"password\":\"x\"}");
        Assert.Equal(400, code);

        // Logged out, the session is gone; the password is in no log.
        Assert.Equal("204", await CodeAsync(c, "n2", "POST", "/api/v1/logout", session));
        Assert.Equal("401", await CodeAsync(c, "n2", "GET", "/api/v1/cluster", session));
        Assert.DoesNotContain(password, c.NodeLog("n2"), StringComparison.Ordinal);
        Assert.Contains("API login of lab-operator from 127.0.0.1: accepted", c.NodeLog("n2"), StringComparison.Ordinal);
        Assert.Contains("API login of lab-operator from 127.0.0.1: authentication refused", c.NodeLog("n2"), StringComparison.Ordinal);

        // Failed attempts from one address are limited: after five in a minute, even the right password waits.
        for (var i = 0; i < 5; i++)
        {
            (code, _) = await PostAsync(c, "n3", "/api/v1/login", "{\"user\":\"lab-operator\",\"password\":\"wrong\"}");
            Assert.Equal(401, code);
        }

        (code, _) = await PostAsync(c, "n3", "/api/v1/login", $"{{\"user\":\"lab-operator\",\"password\":\"{password}\"}}");
        Assert.Equal(429, code);
    }
}
