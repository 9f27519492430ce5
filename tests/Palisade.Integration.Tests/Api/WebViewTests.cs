using System.Text.Json;
using System.Text.RegularExpressions;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Api;

/// <summary>
/// The web view of the installed palisaded in real headless Chromium inside a lab node: it logs in with the lab's
/// token, shows the cluster, and after a node loses its power shows the failover in its timeline and fence history.
/// Screenshots are kept in out/test-results/webview.
/// </summary>
[Collection("lab")]
public sealed class WebViewTests
{
    private static readonly string Artifacts = Path.Combine(Repo(), "out", "test-results", "webview");

    /// <summary>The page's DOM once it has loaded (#live=0: shown once, without following the stream), and a screenshot.</summary>
    private static async Task<string> PageAsync(ClusterLab c, string node, string shot)
    {
        const string Url = "\"$(cat /etc/palisade/api.url)/#live=0&token=$(cat /etc/palisade/api.token)\"";
        const string Chromium = "chromium --headless --no-sandbox --disable-gpu --user-data-dir=\"$d\" --virtual-time-budget=15000";
        var script = $"d=$(mktemp -d); {Chromium} --dump-dom {Url} 2>/dev/null; {Chromium} --window-size=1400,1000 --screenshot=/var/lib/palisade/{shot} {Url} >/dev/null 2>&1; rm -rf \"$d\"";
        var r = await c.Lab.ExecCaptureAsync(node, ["sh", "-c", script], TimeSpan.FromSeconds(120), c.Ct);
        Assert.True(r.ExitCode == 0, $"chromium in {node}: exit {r.ExitCode}: {r.Stderr}");
        Directory.CreateDirectory(Artifacts);
        var taken = Path.Combine(c.Lab.StatePath, "nodes", node, "lib-palisade", shot);
        Assert.True(File.Exists(taken), $"no screenshot at {taken}");
        File.Copy(taken, Path.Combine(Artifacts, shot), overwrite: true);
        return r.Stdout;
    }

    private static async Task<JsonElement> ApiAsync(ClusterLab c, string node, string path)
    {
        var r = await c.Lab.ExecCaptureAsync(node, ["sh", "-c", $"curl -s -H \"Authorization: Bearer $(cat /etc/palisade/api.token)\" \"$(cat /etc/palisade/api.url){path}\""], TimeSpan.FromSeconds(20), c.Ct);
        Assert.True(r.ExitCode == 0, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        return doc.RootElement.Clone();
    }

    /// <summary>How many (tester, target) pairs of different nodes have every path tested and working.</summary>
    private static int ReachablePairs(JsonElement body) =>
        body.GetProperty("reachability").EnumerateArray()
            .Where(p => p.GetProperty("tester").GetString() != p.GetProperty("target").GetString())
            .GroupBy(p => (p.GetProperty("tester").GetString(), p.GetProperty("target").GetString()))
            .Count(g => g.All(p => p.GetProperty("result").GetString() == "worked"));

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + ClusterLab.Limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(250);
        }
    }

    private static string GroupRow(string group, string state, string node) =>
        $"<tr data-group=\"{group}\"><td>{group}</td><td class=\"{state}\">{state}</td><td>{node}</td>";

    [Fact]
    public async Task TheViewShowsTheClusterAndAfterAPowerLossItsFailoverInTheTimelineAndFenceHistory()
    {
        await using var c = await ClusterLab.UpAsync();

        // Every node's shutdown daemon tests its paths to the others at start and reports the results to the cluster.
        await WaitAsync(async () => ReachablePairs(await ApiAsync(c, "n2", "/api/v1/fencing/reachability")) == 6, "every node's paths to the two others worked");
        var before = await PageAsync(c, "n2", "1-formed.png");
        Assert.Equal(6, Regex.Matches(before, "<td class=\"Worked\" data-target=\"n[123]\">[^<]*worked[^<]*</td>").Count);
        Assert.Equal(3, Regex.Matches(before, "<td>\\(itself\\)</td>").Count);
        Assert.Contains("data-loaded=\"yes\"", before, StringComparison.Ordinal);
        Assert.Contains(GroupRow("web", "Online", "n1"), before, StringComparison.Ordinal);
        foreach (var node in c.Nodes)
        {
            Assert.Contains($"<tr data-node=\"{node}\"><td>{node}</td><td class=\"Online\">Online</td>", before, StringComparison.Ordinal);
        }

        Assert.Contains("<b id=\"answered\">n2</b>", before, StringComparison.Ordinal);
        Assert.Contains("<b id=\"quorate\" class=\"\">yes</b>", before, StringComparison.Ordinal);

        await c.Lab.PowerAsync("n1", "off", c.Ct);
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group) && !ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web Online again after n1 lost its power");
        var owner = ClusterProbe.Group(moved, ClusterLab.Group)!.Node!;

        var after = await PageAsync(c, "n2", "2-after-n1-lost-power.png");
        Assert.Contains(GroupRow("web", "Online", owner), after, StringComparison.Ordinal);
        Assert.Matches(new Regex("<li data-version=\"\\d+\"><span class=\"v\">#\\d+ [0-9:.]+</span> [^<]*n1[^<]*</li>"), after);
        Assert.Matches(new Regex($"<li data-version=\"\\d+\"><span class=\"v\">#\\d+ [0-9:.]+</span> group web: Online on {owner}[^<]*</li>"), after);
        Assert.Matches(new Regex("<tr><td>[^<]+</td><td>n1</td><td>[^<]+</td><td>[^<]+</td><td class=\"Worked\">Worked</td>"), after);

        // The incident, phase by phase with times after detection: membership, fence, confirmation, web Online elsewhere.
        Assert.Matches(new Regex($"<summary>node n1 lost: recovered: web Online on {owner} in \\d+ ms</summary>"), after);
        foreach (var phase in new[] { "detected", "membership", "fence_requested", "fence_confirmed", "start_ordered", "resource_started", "online" })
        {
            Assert.Matches(new Regex($"<tr data-phase=\"{phase}\"><td>\\+\\d+ ms</td><td>\\(\\+\\d+\\)</td><td>{phase}</td>"), after);
        }

        // The failover's phases in the metrics of the node that saw it: one recovered failover per phase.
        var metrics = await c.ApiGetAsync("n2", "/metrics");
        foreach (var phase in new[] { "membership", "fence_requested", "fence_confirmed", "start_ordered", "resource_started", "online" })
        {
            Assert.Contains($"palisade_failover_phase_seconds_count{{phase=\"{phase}\"}} 1\n", metrics, StringComparison.Ordinal);
        }

        c.AssertNoDoubleActivation();
    }

    private static string Repo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Palisade.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
