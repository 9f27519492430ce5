using System.Collections.Immutable;
using Palisade.Core.Configuration;

namespace Palisade.Core.Tests;

/// <summary>Cluster configurations built in code for unit tests: nodes n1..nN (id i), each with one shutdown agent.</summary>
internal static class TestConfigs
{
    /// <summary>The time unit tests start from.</summary>
    public static readonly DateTimeOffset Epoch = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static ClusterConfig Cluster(int nodeCount, params GroupConfig[] groups) => new()
    {
        Name = "test",
        Totem = new TotemConfig(),
        Nodes = [.. Enumerable.Range(1, nodeCount).Select(Node)],
        Groups = [.. groups],
    };

    /// <summary>Three nodes and one group <c>web</c> preferring n1, then n2, then n3.</summary>
    public static ClusterConfig ThreeNodesOneGroup() => Cluster(3, Group("web", "n1", "n2", "n3"));

    public static GroupConfig Group(string name, params string[] nodes) => new()
    {
        Name = name,
        Nodes = [.. nodes],
        Resources = [Exec("ip"), Exec("app")],
    };

    private static NodeConfig Node(int i) => new()
    {
        Name = $"n{i}",
        Id = (uint)i,
        Interconnect = [$"192.0.2.{i}"],
        ShutdownAgents = [new ShutdownAgentConfig { Type = "test-bmc" }],
    };

    private static ResourceConfig Exec(string name) => new()
    {
        Name = name,
        Kind = ResourceKind.Exec,
        StartCommand = $"start-{name}",
        StopCommand = $"stop-{name}",
        Parameters = ImmutableSortedDictionary<string, string>.Empty,
    };
}
