using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Monitors;

/// <summary>
/// A probe whose monitor fails or times out has not shown that the group is stopped there: the node stops the group
/// itself before it can be placed there, and is not fenced for it. hello's monitor carries two test hooks in the node's
/// own /var/lib/palisade: probe-fails (exit 1) and probe-hangs (no answer).
/// </summary>
[Collection("lab")]
public sealed class ProbeFailureTests
{
    private const string HookedMonitor =
        "monitor: 'test ! -e /var/lib/palisade/probe-fails || exit 1; test ! -e /var/lib/palisade/probe-hangs || exec sleep 600; "
        + "exec /opt/palisade/share/examples/demo/hello-service monitor'\n        monitor_timeout: 3s";

    private static async Task<ClusterLab> UpAsync()
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        const string plain = "monitor: /opt/palisade/share/examples/demo/hello-service monitor";
        Assert.Contains(plain, demo, StringComparison.Ordinal);
        return await ClusterLab.UpYamlAsync(demo.Replace(plain, HookedMonitor, StringComparison.Ordinal));
    }

    private static string Hook(ClusterLab c, string node, string name) => Path.Combine(c.Lab.StatePath, "nodes", node, "lib-palisade", name);

    [Fact]
    public async Task AFailingOrHangingProbeOnANodeThatIsNotTheOwnerStopsTheGroupThereAndFencesNobody()
    {
        await using var c = await UpAsync();

        // exit 1 on n2: n2 stops web itself, web stays where it runs, nobody is fenced.
        await File.WriteAllTextAsync(Hook(c, "n2", "probe-fails"), "");
        await c.StopDaemonAsync("n2");
        await c.StartDaemonAsync("n2");
        await c.WaitAsync("n1", s => ClusterProbe.Node(s, "n2") is { State: "Online" } && s.Waiting.Count == 0
            && c.NodeLog("n1").Contains("group web: stopped on n2, where its probe could not tell; it stays Online on n1", StringComparison.Ordinal),
            "n2 back, having stopped web");
        var n2 = c.NodeLog("n2");
        Assert.Contains("hello probe: Failed", n2, StringComparison.Ordinal);
        Assert.Contains("group web: stop on this node (the probe could not tell whether web runs here too; it runs on n1)", n2, StringComparison.Ordinal);

        // No answer within monitor_timeout on n3: the same.
        await File.WriteAllTextAsync(Hook(c, "n3", "probe-hangs"), "");
        await c.StopDaemonAsync("n3");
        await c.StartDaemonAsync("n3");
        var s = await c.WaitAsync("n1", s => ClusterProbe.Node(s, "n3") is { State: "Online" } && s.Waiting.Count == 0
            && c.NodeLog("n1").Contains("group web: stopped on n3, where its probe could not tell", StringComparison.Ordinal),
            "n3 back, having stopped web");
        Assert.Contains("hello probe: TimedOut", c.NodeLog("n3"), StringComparison.Ordinal);

        Assert.True(ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web moved off n1");
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action is "power-off" or "panic");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task WhenTheClusterFormsAGroupANodeCannotTellAboutIsStoppedThereBeforeItIsPlaced()
    {
        await using var c = await UpAsync();
        await c.StopAllDaemonsAsync();
        await File.WriteAllTextAsync(Hook(c, "n1", "probe-fails"), "");
        await c.StartAllDaemonsAsync();

        // n1 cannot tell whether it runs web: it stops web first; web then counts as failed on n1 and is placed on
        // n2, the next of its nodes, and nobody is fenced.
        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group), "web Online after the formation");
        Assert.True(ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web is not on n2");
        Assert.Contains("group web: stop on this node (the probe on n1 could not tell whether it runs there: stopping it there first)",
            c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.DoesNotContain(c.LedgerEntries, e => e.Action is "power-off" or "panic");
        c.AssertNoDoubleActivation();
    }
}
