using System.Text.Json;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Api;

/// <summary>
/// The HTTP API of the installed palisaded, called with curl inside lab nodes as the lab sets it up (token and URL in
/// /etc/palisade): the cluster as the answering node sees it, the health check a load balancer uses, and metrics.
/// </summary>
[Collection("lab")]
public sealed class ApiTests
{
    private const string Authorized = "curl -s -H \"Authorization: Bearer $(cat /etc/palisade/api.token)\" \"$(cat /etc/palisade/api.url)";

    private static async Task<string> ShAsync(ClusterLab c, string node, string script)
    {
        var r = await c.Lab.ExecCaptureAsync(node, ["sh", "-c", script], TimeSpan.FromSeconds(20), c.Ct);
        Assert.True(r.ExitCode == 0, $"{script} on {node}: exit {r.ExitCode}: {r.Stderr}");
        return r.Stdout;
    }

    private static Task<string> CodeAsync(ClusterLab c, string node, string path) =>
        ShAsync(c, node, $"curl -s -o /dev/null -w '%{{http_code}}' \"$(cat /etc/palisade/api.url){path}\"");

    [Fact]
    public async Task EachNodeAnswersForItsPartitionTheHealthCheckFollowsTheGroupAndMetricsAreServed()
    {
        await using var c = await ClusterLab.UpAsync();

        using var cluster = JsonDocument.Parse(await ShAsync(c, "n2", Authorized + "/api/v1/cluster\""));
        var root = cluster.RootElement;
        Assert.Equal("n2", root.GetProperty("answered_by").GetString());
        Assert.Equal(["n1", "n2", "n3"], root.GetProperty("partition").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.True(root.GetProperty("quorate").GetBoolean());
        Assert.True(root.GetProperty("state_version").GetInt64() > 0);
        var web = root.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("name").GetString() == ClusterLab.Group);
        Assert.Equal(("Online", "n1"), (web.GetProperty("state").GetString(), web.GetProperty("node").GetString()));

        // A load balancer asks every node; only the one running web says 200, without any token.
        Assert.Equal("200", await CodeAsync(c, "n1", "/api/v1/groups/web/active"));
        Assert.Equal("503", await CodeAsync(c, "n2", "/api/v1/groups/web/active"));
        Assert.Equal("404", await CodeAsync(c, "n2", "/api/v1/groups/nope/active"));

        // No token, a wrong one: refused with problem details, and nothing about the token in the answer.
        Assert.Equal("401", await CodeAsync(c, "n3", "/api/v1/cluster"));
        var wrong = await ShAsync(c, "n3", "curl -s -H 'Authorization: Bearer not-the-token-0123456789' \"$(cat /etc/palisade/api.url)/api/v1/nodes\"");
        using (var problem = JsonDocument.Parse(wrong))
        {
            Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains("not one of this cluster's API tokens", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await ShAsync(c, "n3", "cat /etc/palisade/api.token"), c.NodeLog("n3"), StringComparison.Ordinal);

        var metrics = await ShAsync(c, "n3", Authorized + "/metrics\"");
        Assert.Contains("palisade_build_info{", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_quorate 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_group_active{group=\"web\",node=\"n1\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_node_state{node=\"n2\",state=\"Online\"} 1\n", metrics, StringComparison.Ordinal);

        // The owner loses its power: the health check follows web to its new node.
        await c.Lab.PowerAsync("n1", "off", c.Ct);
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group) && !ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online again after n1 lost its power");
        var owner = ClusterProbe.Group(moved, ClusterLab.Group)!.Node!;
        Assert.Equal("200", await CodeAsync(c, owner, "/api/v1/groups/web/active"));
        Assert.Equal("503", await CodeAsync(c, owner == "n2" ? "n3" : "n2", "/api/v1/groups/web/active"));
        using var nodes = JsonDocument.Parse(await ShAsync(c, owner, Authorized + "/api/v1/nodes\""));
        Assert.Equal(["n2", "n3"], nodes.RootElement.GetProperty("partition").EnumerateArray().Select(e => e.GetString()!).ToArray());
        c.AssertNoDoubleActivation();
    }
}
