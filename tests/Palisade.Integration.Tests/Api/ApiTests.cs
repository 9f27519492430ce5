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

        using var cluster = JsonDocument.Parse(await c.ApiGetAsync("n2", "/api/v1/cluster"));
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

        // The OpenAPI document, without a token.
        using (var openApi = JsonDocument.Parse(await ShAsync(c, "n2", "curl -s \"$(cat /etc/palisade/api.url)/api/v1/openapi.json\"")))
        {
            Assert.Equal("3.1.0", openApi.RootElement.GetProperty("openapi").GetString());
            Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/api/v1/groups/{group}/move", out _));
        }

        // No token, a wrong one: refused with problem details, and nothing about the token in the answer.
        Assert.Equal("401", await CodeAsync(c, "n3", "/api/v1/cluster"));
        var wrong = await ShAsync(c, "n3", "curl -s -H 'Authorization: Bearer not-the-token-0123456789' \"$(cat /etc/palisade/api.url)/api/v1/nodes\"");
        using (var problem = JsonDocument.Parse(wrong))
        {
            Assert.Equal(401, problem.RootElement.GetProperty("status").GetInt32());
            Assert.Contains("not one of this cluster's API tokens", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(await ShAsync(c, "n3", "cat /etc/palisade/api.token"), c.NodeLog("n3"), StringComparison.Ordinal);

        var metrics = await c.ApiGetAsync("n3", "/metrics");
        Assert.Contains("palisade_build_info{", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_quorate 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_group_active{group=\"web\",node=\"n1\"} 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("palisade_node_state{node=\"n2\",state=\"Online\"} 1\n", metrics, StringComparison.Ordinal);

        // Each fencing path n3's shutdown daemon tested: worked, and when it last did.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        var pathMetrics = "";
        while (!System.Text.RegularExpressions.Regex.IsMatch(pathMetrics, "palisade_fence_path_test_ok\\{target=\"n1\",agent=\"[^\"]+\",index=\"1\"\\} 1\n") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
            pathMetrics = await c.ApiGetAsync("n3", "/metrics");
        }

        Assert.Matches("palisade_fence_path_test_ok\\{target=\"n1\",agent=\"[^\"]+\",index=\"1\"\\} 1\n", pathMetrics);
        Assert.Matches("palisade_fence_path_last_success_timestamp_seconds\\{target=\"n1\",agent=\"[^\"]+\",index=\"1\"\\} 1[0-9]{9}", pathMetrics);

        // Resources, and the messages this node accepted, newest first.
        using (var resources = JsonDocument.Parse(await c.ApiGetAsync("n2", "/api/v1/resources")))
        {
            Assert.Contains(resources.RootElement.GetProperty("resources").EnumerateArray(),
                r => r.GetProperty("group").GetString() == "web" && r.GetProperty("state").GetString() == "Started" && r.GetProperty("node").GetString() == "n1");
        }

        foreach (var (keyword, id) in new[] { ("eth8", "api-e1"), ("eth9", "api-e2") })
        {
            var notify = await c.Lab.ExecCaptureAsync("n2", ["/usr/local/bin/palisade", "notify", "--category", "NIC", "--keyword", keyword, "--severity", "warning", "--id", id], TimeSpan.FromSeconds(10), c.Ct);
            Assert.True(notify.ExitCode == 0, notify.Stderr);
        }

        using (var events = JsonDocument.Parse(await c.ApiGetAsync("n2", "/api/v1/events?limit=1")))
        {
            var newest = Assert.Single(events.RootElement.GetProperty("events").EnumerateArray());
            Assert.Equal(("api-e2", "eth9", "warning", "n2"), (newest.GetProperty("id").GetString(), newest.GetProperty("keyword").GetString(),
                newest.GetProperty("severity").GetString(), newest.GetProperty("received_by").GetString()));
        }

        Assert.Equal("400", await ShAsync(c, "n2", "curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $(cat /etc/palisade/api.token)\" \"$(cat /etc/palisade/api.url)/api/v1/events?limit=0\""));

        // The owner loses its power: the health check follows web to its new node.
        await c.Lab.PowerAsync("n1", "off", c.Ct);
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group) && !ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online again after n1 lost its power");
        var owner = ClusterProbe.Group(moved, ClusterLab.Group)!.Node!;
        Assert.Equal("200", await CodeAsync(c, owner, "/api/v1/groups/web/active"));
        Assert.Equal("503", await CodeAsync(c, owner == "n2" ? "n3" : "n2", "/api/v1/groups/web/active"));
        using var nodes = JsonDocument.Parse(await c.ApiGetAsync(owner, "/api/v1/nodes"));
        Assert.Equal(["n2", "n3"], nodes.RootElement.GetProperty("partition").EnumerateArray().Select(e => e.GetString()!).ToArray());

        // Metrics count the fence and how long it took.
        var after = await c.ApiGetAsync(owner, "/metrics");
        Assert.Matches("palisade_fence_operations_total\\{target=\"n1\",agent=\"[^\"]+\",result=\"Worked\"\\} 1\n", after);
        Assert.Matches("palisade_fence_duration_seconds_bucket\\{agent=\"[^\"]+\",le=\"\\+Inf\"\\} [1-9]", after);

        // The fence history says who stopped n1, with which agent, and that it worked.
        using var history = JsonDocument.Parse(await c.ApiGetAsync(owner, "/api/v1/fencing/history?node=n1"));
        var fence = history.RootElement.GetProperty("history").EnumerateArray().First();
        Assert.Equal(("n1", "Worked"), (fence.GetProperty("target").GetString(), fence.GetProperty("result").GetString()));
        Assert.Equal("404", await ShAsync(c, owner, "curl -s -o /dev/null -w '%{http_code}' -H \"Authorization: Bearer $(cat /etc/palisade/api.token)\" \"$(cat /etc/palisade/api.url)/api/v1/fencing/history?node=n9\""));
        c.AssertNoDoubleActivation();
    }
    private static string Post(string path, string tokenFile = "/etc/palisade/api.token") =>
        $"curl -s -X POST -w '\\n%{{http_code}}' -H \"Authorization: Bearer $(cat {tokenFile})\" \"$(cat /etc/palisade/api.url){path}\"";

    /// <summary>The body and the HTTP status of a POST (curl prints the status on the last line).</summary>
    private static async Task<(JsonElement Body, int Code)> PostAsync(ClusterLab c, string node, string path, string tokenFile = "/etc/palisade/api.token")
    {
        var output = await ShAsync(c, node, Post(path, tokenFile));
        var cut = output.LastIndexOf('\n');
        using var body = JsonDocument.Parse(output[..cut]);
        return (body.RootElement.Clone(), int.Parse(output[(cut + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ActionsTakeTheCliChecksADryRunShowsThePlanAndChangesNothingAndEachCallIsLoggedByTokenName()
    {
        await using var c = await ClusterLab.UpAsync();

        // What-if on n3: the plan the coordinator would make for a move, and web stays where it is.
        var (plan, planCode) = await PostAsync(c, "n3", "/api/v1/groups/web/move?to=n2&dry_run=true");
        Assert.Equal(200, planCode);
        Assert.True(plan.GetProperty("dry_run").GetBoolean());
        Assert.Equal("n3", plan.GetProperty("answered_by").GetString());
        var steps = plan.GetProperty("preview").GetProperty("steps").EnumerateArray()
            .Select(e => (e.GetProperty("action").GetString(), e.GetProperty("group").GetString(), e.GetProperty("node").GetString())).ToArray();
        Assert.Equal([("stop", "web", "n1"), ("start", "web", "n2")], steps);
        var still = await c.Probe.StatusAsync("n1", c.Ct);
        Assert.True(still is not null && ClusterProbe.GroupOnline(still, ClusterLab.Group, "n1"), "a dry run moved web");

        // The CLI prints the same plan.
        var cli = await c.Lab.ExecCaptureAsync("n2", ["/usr/local/bin/palisade", "group", "stop", ClusterLab.Group, "--dry-run"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.Equal(0, cli.ExitCode);
        Assert.StartsWith("dry run: the stop of web would lead to 1 order; nothing was sent\n", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n  1. stop web on n1: ", cli.Stdout, StringComparison.Ordinal);

        // The CLI's checks, as problem details: an unknown group, a node the group cannot use, a bad dry_run.
        var (unknown, unknownCode) = await PostAsync(c, "n2", "/api/v1/groups/nope/start");
        Assert.Equal(404, unknownCode);
        Assert.StartsWith("unknown group 'nope'", unknown.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (elsewhere, elsewhereCode) = await PostAsync(c, "n2", "/api/v1/groups/web/move?to=n9");
        Assert.Equal(409, elsewhereCode);
        Assert.Equal("n9 is not one of web's nodes (n1, n2, n3)", elsewhere.GetProperty("detail").GetString());
        Assert.Equal(400, (await PostAsync(c, "n2", "/api/v1/groups/web/stop?dry_run=maybe")).Code);

        // A forced stop needs the admin role; its dry run shows the fence, then web started elsewhere, and fences nothing.
        var (denied, deniedCode) = await PostAsync(c, "n2", "/api/v1/fencing/n1/kill");
        Assert.Equal(403, deniedCode);
        Assert.Equal("token lab has role operate; this needs admin", denied.GetProperty("detail").GetString());
        var (kill, killCode) = await PostAsync(c, "n2", "/api/v1/fencing/n1/kill?dry_run=true", "/etc/palisade/api-admin.token");
        Assert.Equal(200, killCode);
        var killSteps = kill.GetProperty("preview").GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(("fence", "n1"), (killSteps[0].GetProperty("action").GetString(), killSteps[0].GetProperty("node").GetString()));
        Assert.Contains(killSteps, s => s.GetProperty("action").GetString() == "start" && s.GetProperty("node").GetString() != "n1");

        // A monitor's name holds a slash: escaped in the path. Its dry run sends nothing either.
        var (suspend, suspendCode) = await PostAsync(c, "n1", "/api/v1/monitors/web%2Fhello/suspend?dry_run=true");
        Assert.Equal(200, suspendCode);
        Assert.StartsWith("dry run: the suspend of monitor web/hello on every node", suspend.GetProperty("message").GetString(), StringComparison.Ordinal);

        // The real move, watched on n1's event stream: accepted, carried out, logged with the token's name and never
        // the token.
        var stream = StreamUntilAsync(c, "n1", null, "group web: Online on n2");
        await WaitForStreamClientAsync(c, "n1");
        var (move, moveCode) = await PostAsync(c, "n3", "/api/v1/groups/web/move?to=n2");
        Assert.Equal(202, moveCode);
        Assert.Equal("move of web to n2 requested", move.GetProperty("message").GetString());
        await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2 after the API's move");

        // The dry run's plan is the one the coordinator then made: each of its orders, word for word, in its log.
        var coordinator = plan.GetProperty("coordinator").GetString()!;
        var decided = c.NodeLog(coordinator);
        foreach (var step in plan.GetProperty("preview").GetProperty("steps").EnumerateArray())
        {
            Assert.Contains($"decision: {step.GetProperty("text").GetString()}", decided, StringComparison.Ordinal);
        }

        // A snapshot first (web on n1), then each change as it happens, ids rising, up to web Online on n2.
        var live = Events(await stream);
        Assert.Equal("snapshot", live[0].Kind);
        Assert.Contains("\"node\":\"n1\"", live[0].Data, StringComparison.Ordinal);
        var changes = live.Skip(1).ToList();
        Assert.All(changes, e => Assert.Equal("change", e.Kind));
        Assert.Equal(changes.Select(e => e.Id).Order(), changes.Select(e => e.Id));
        Assert.True(changes.Count >= 2 && changes[0].Id > live[0].Id, string.Join("\n", live));
        Assert.Contains(changes, e => e.Data.Contains("group web: Online on n2", StringComparison.Ordinal));

        // A client that lost its connection resumes from its last id on another node: the same changes, same ids.
        var resumed = Events(await StreamUntilAsync(c, "n3", live[0].Id, "group web: Online on n2"));
        Assert.Equal(UpToTheMove(changes).Select(e => (e.Id, Notes(e))), UpToTheMove(resumed).Select(e => (e.Id, Notes(e))));
        var log = c.NodeLog("n3");
        Assert.Contains("API POST /api/v1/groups/web/move?to=n2 by token lab from 127.0.0.1: move of web to n2 requested", log, StringComparison.Ordinal);
        Assert.DoesNotContain(await ShAsync(c, "n3", "cat /etc/palisade/api.token"), log, StringComparison.Ordinal);
        Assert.True(ClusterLab.NodeIs((await c.Probe.StatusAsync("n2", c.Ct))!, "n1", "Online"), "a dry run of a forced stop fenced n1");
        c.AssertNoDoubleActivation();
    }
    private sealed record SseEvent(long Id, string Kind, string Data);

    /// <summary>The event stream on <paramref name="node"/> (from <paramref name="lastId"/>, if given) until a line has <paramref name="until"/>.</summary>
    private static Task<string> StreamUntilAsync(ClusterLab c, string node, long? lastId, string until)
    {
        var resume = lastId is { } id ? $"-H 'Last-Event-ID: {id}' " : "";
        var script = "f=$(mktemp); " +
            $"curl -s -N {resume}-H \"Authorization: Bearer $(cat /etc/palisade/api.token)\" \"$(cat /etc/palisade/api.url)/api/v1/stream\" > $f & pid=$!; " +
            $"i=0; while ! grep -q '{until}' $f && [ $i -lt 400 ]; do sleep 0.1; i=$((i+1)); done; kill $pid; cat $f; rm -f $f";
        return ShAsync(c, node, script);
    }

    /// <summary>Waits until a client holds a connection to the API of <paramref name="node"/>.</summary>
    private static async Task WaitForStreamClientAsync(ClusterLab c, string node)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if ((await ShAsync(c, node, "ss -tnH state established '( dport = :29003 )' | wc -l")).Trim() != "0")
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no client connected to the API of {node} within 20 s");
    }

    private static string Notes(SseEvent e)
    {
        using var data = JsonDocument.Parse(e.Data);
        return data.RootElement.GetProperty("notes").GetRawText();
    }

    private static IEnumerable<SseEvent> UpToTheMove(List<SseEvent> events) =>
        events.Take(events.FindIndex(e => e.Data.Contains("group web: Online on n2", StringComparison.Ordinal)) + 1);

    private static List<SseEvent> Events(string stream) =>
        [.. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n').Where(l => !l.StartsWith(':')).ToList())
            .Where(lines => lines.Count > 0)
            .Select(lines => new SseEvent(
                long.Parse(lines.Single(l => l.StartsWith("id: ", StringComparison.Ordinal))[4..], System.Globalization.CultureInfo.InvariantCulture),
                lines.Single(l => l.StartsWith("event: ", StringComparison.Ordinal))[7..],
                lines.Single(l => l.StartsWith("data: ", StringComparison.Ordinal))[6..]))];
}
