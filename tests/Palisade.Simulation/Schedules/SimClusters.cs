using System.Collections.Immutable;
using Palisade.Core.Configuration;

namespace Palisade.Simulation.Schedules;

/// <summary>The clusters the simulator runs: three nodes, five with weighted votes, and a two_node pair.</summary>
internal static class SimClusters
{
    public static readonly ImmutableArray<string> Names = ["three", "five-weighted", "two"];

    /// <summary>
    /// The recovery ladders a schedule's listed monitor may have: the default, and ones reaching each kind of rung and
    /// target (the final action stopping the group, fencing the node, stopping a resource; every group of the node).
    /// The recovery script and pre-action run through the host's command port, which the simulator answers.
    /// </summary>
    public static readonly ImmutableArray<(string Name, RecoveryConfig Recovery)> Ladders =
    [
        ("default ladder", RecoveryConfig.ResourceDefault),
        ("failover then stop_group", new RecoveryConfig { RestartLimit = 0, FailoverLimit = 1, FinalAction = FinalAction.StopGroup }),
        ("restart then bmc_power_off", new RecoveryConfig { RestartLimit = 1, FailoverLimit = 0, FinalAction = FinalAction.BmcPowerOff }),
        ("all_groups failover", new RecoveryConfig { Scope = RecoveryScope.AllGroups, RestartLimit = 0, FailoverLimit = 1 }),
        ("resource restart then stop_resource", new RecoveryConfig { Scope = RecoveryScope.Resource, Resource = "app", RestartLimit = 1, FailoverLimit = 0, FinalAction = FinalAction.StopResource }),
        ("script, pre-action, restart, failover", new RecoveryConfig { Script = "sim-fix", ScriptLimit = 1, PreAction = new PreActionConfig { Script = "sim-pre" } }),
    ];

    /// <summary>
    /// The named cluster; <paramref name="monitored"/> adds a monitor of the <c>monitors:</c> list acting on g1 (timing
    /// active, the ladder <paramref name="ladder"/> of <see cref="Ladders"/>), whose checks the schedule's monitor
    /// faults drive.
    /// </summary>
    public static ClusterConfig Get(string name, bool monitored, int ladder = 0)
    {
        var config = Get(name);
        return monitored
            ? config with
            {
                Monitors =
                [
                    new MonitorConfig
                    {
                        Name = "watch", Kind = MonitorKind.Custom, Target = "g1", Command = "sim",
                        Interval = TimeSpan.FromSeconds(3), Timeout = TimeSpan.FromSeconds(5), Timing = MonitorTiming.Active,
                        Recovery = Ladders[ladder].Recovery,
                    },
                ],
            }
            : config;
    }

    public static ClusterConfig Get(string name) => name switch
    {
        "three" => Build(name, [1, 1, 1], [["n1", "n2", "n3"], ["n2", "n3", "n1"], ["n3", "n1", "n2"]]),
        "five-weighted" => Build(name, [2, 1, 2, 1, 2], [["n1", "n2", "n3"], ["n2", "n4", "n5"], ["n3", "n5", "n1"], ["n5", "n1"]]),
        "two" => Build(name, [1, 1], [["n1", "n2"], ["n2", "n1"]]),
        _ => throw new ArgumentException($"unknown cluster '{name}' (known: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>A cluster for a hand-written scenario, built as the named ones are: nodes n1.. with these weights, groups g1.. on these nodes.</summary>
    public static ClusterConfig Custom(int[] weights, params string[][] groups) => Build("custom", weights, groups);

    private static ClusterConfig Build(string name, int[] weights, string[][] groups) => new()
    {
        Name = $"sim-{name}",
        Totem = new TotemConfig(),
        Shutdown = new ShutdownSettings { TestInterval = TimeSpan.FromSeconds(60) },
        Nodes = [.. weights.Select((w, i) => new NodeConfig
        {
            Name = $"n{i + 1}",
            Id = (uint)(i + 1),
            Interconnect = [$"198.18.0.{i + 1}"],
            Admin = $"10.0.0.{i + 1}",
            Weight = w,
            ShutdownAgents = [new ShutdownAgentConfig { Type = "ipmi", Timeout = TimeSpan.FromSeconds(10) }],
        })],
        Groups = [.. groups.Select((nodes, i) => new GroupConfig
        {
            Name = $"g{i + 1}",
            Nodes = [.. nodes],
            ShutdownPriority = i == 0 ? 5 : 0,
            Resources = [Resource("ip"), Resource("app")],
        })],
    };

    private static ResourceConfig Resource(string name) => new()
    {
        Name = name,
        Kind = ResourceKind.Exec,
        StartCommand = "true",
        StopCommand = "true",
        MonitorCommand = "true",
        StartTimeout = TimeSpan.FromSeconds(20),
        StopTimeout = TimeSpan.FromSeconds(20),
        MonitorTimeout = TimeSpan.FromSeconds(10),
        MonitorInterval = TimeSpan.FromSeconds(10),
    };
}
