using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Safety;

/// <summary>What an operator asked of a group survives every palisaded restarting: it is kept on each node's disk.</summary>
[Collection("lab")]
public sealed class OperatorIntentTests
{
    [Fact]
    public async Task AGroupStoppedByHandStaysStoppedAfterEveryPalisadedRestarts()
    {
        await using var c = await ClusterLab.UpAsync();
        var stop = await c.CliAsync("n2", "group", "stop", ClusterLab.Group);
        Assert.True(stop.ExitCode == 0, stop.Stderr);
        await c.WaitAsync("n1", s => ClusterProbe.Group(s, ClusterLab.Group) is { State: "Offline", Target: "Stopped" }, "web stopped");
        var intents = await File.ReadAllTextAsync(Path.Combine(c.Lab.StatePath, "nodes", "n3", "lib-palisade", "intents.json"));
        Assert.Contains("\"target\":\"Stopped\"", intents, StringComparison.Ordinal);
        var startsBefore = c.LedgerEntries.Count(e => e.Action == "start");

        await c.KillAllDaemonsAsync();
        await c.StartAllDaemonsAsync();

        var s = await c.WaitAsync("n1", s => s.Phase == "Synced" && s.Nodes.All(n => n.State == "Online")
            && ClusterProbe.Group(s, ClusterLab.Group) is { State: "Offline", Target: "Stopped" } && s.Waiting.Count == 0,
            "a new cluster state with every node Online and web still stopped");
        Assert.Equal(startsBefore, c.LedgerEntries.Count(e => e.Action == "start"));

        // The operator's start still works, and is kept the same way.
        var start = await c.CliAsync("n3", "group", "start", ClusterLab.Group);
        Assert.True(start.ExitCode == 0, start.Stderr);
        await c.WaitAsync("n1", s => ClusterProbe.GroupOnline(s, ClusterLab.Group), "web started again");
        c.AssertNoDoubleActivation();
    }
}
