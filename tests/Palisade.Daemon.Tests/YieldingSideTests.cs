using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Planning;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>
/// Each side of a two-node split computes the verdict from the state it held, without talking to the other: exactly
/// one side yields and stops feeding its watchdog.
/// </summary>
public sealed class YieldingSideTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);
    private static readonly ImmutableDictionary<string, ReceivedAdvert> NoAdverts = ImmutableDictionary<string, ReceivedAdvert>.Empty;

    private static ClusterConfig Config(int nodes, int[] weights, int priority) => new()
    {
        Name = "pair",
        Totem = new TotemConfig(),
        Nodes = [.. Enumerable.Range(1, nodes).Select(i => new NodeConfig
        {
            Name = $"n{i}",
            Id = (uint)i,
            Interconnect = [$"198.18.0.{10 + i}"],
            Weight = weights[i - 1],
            Watchdog = "/var/lib/palisade/watchdog",
        })],
        Groups = [new GroupConfig { Name = "web", Nodes = ["n1", "n2"], ShutdownPriority = priority }],
    };

    /// <summary>What the members of <paramref name="side"/> hold after the split, web Online on <paramref name="webOn"/>.</summary>
    private static ClusterState After(ClusterConfig config, string[] side, string webOn)
    {
        var state = ClusterState.Initial(config);
        return state with
        {
            Nodes = state.Nodes.ToImmutableSortedDictionary(n => n.Key,
                n => n.Value with { State = side.Contains(n.Key) ? NodeState.Online : NodeState.Unclean, Reason = "test" }),
            Groups = state.Groups.SetItem("web", state.Groups["web"] with { State = GroupState.Online, Node = webOn }),
            Members = [.. side.Select(s => config.FindNode(s)!.Id)],
            Settled = true,
        };
    }

    private static string? YieldingOf(ClusterConfig config, string me, string webOn)
    {
        var others = config.Nodes.Select(n => n.Name).Where(n => n != me).ToArray();
        var verdict = PartitionResolver.Resolve(config, After(config, [me], webOn), others.ToImmutableDictionary(n => n, _ => T0), NoAdverts, T0);
        return WatchdogSupervisor.Yielding(config, verdict);
    }

    [Theory]
    [InlineData(1, 1, 0, "n1", "n2")] // tie: the first name wins
    [InlineData(1, 1, 5, "n2", "n1")] // the group's priority weighs for its node
    [InlineData(1, 3, 0, "n1", "n1")] // heavier node
    public void Exactly_one_side_of_a_two_node_split_yields(int w1, int w2, int priority, string webOn, string yielder)
    {
        var config = Config(2, [w1, w2], priority);

        var yielding = new[] { "n1", "n2" }.Where(n => YieldingOf(config, n, webOn) is not null).ToArray();

        Assert.Equal([yielder], yielding);
        Assert.StartsWith($"this partition [{yielder}] weighs", YieldingOf(config, yielder, webOn), StringComparison.Ordinal);
    }

    [Fact]
    public void In_three_node_clusters_quorum_alone_decides()
    {
        var config = Config(3, [1, 1, 1], 0);

        var verdict = PartitionResolver.Resolve(config, After(config, ["n3"], "n1"), ImmutableDictionary<string, DateTimeOffset>.Empty.Add("n1", T0).Add("n2", T0), NoAdverts, T0);

        Assert.Null(WatchdogSupervisor.Yielding(config, verdict));
    }

    [Fact]
    public void The_lighter_side_yields_only_when_the_other_corosync_is_gone_too()
    {
        var config = Config(2, [1, 1], 0);
        var verdict = PartitionResolver.Resolve(config, After(config, ["n2"], "n1"), ImmutableDictionary<string, DateTimeOffset>.Empty.Add("n1", T0), NoAdverts, T0);
        var (crashed, cut) = (new RecordingDevice(), new RecordingDevice());
        var onCrash = new WatchdogFeeder(crashed, "/var/lib/palisade/watchdog", TimeSpan.FromSeconds(3), new ManualClock(T0), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var onCut = new WatchdogFeeder(cut, "/var/lib/palisade/watchdog", TimeSpan.FromSeconds(3), new ManualClock(T0), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        // n1's palisaded died but its corosync is still there: n1's own watchdog resets it; n2 keeps feeding.
        new WatchdogSupervisor(onCrash, new NodeLivenessBoard(config, new SteadyClock(TimeProvider.System)), new View(Whole: true)).Tick(config, null, verdict, NoAdverts, T0);
        new WatchdogSupervisor(onCut, new NodeLivenessBoard(config, new SteadyClock(TimeProvider.System)), new View(Whole: false)).Tick(config, null, verdict, NoAdverts, T0);

        Assert.Equal(WatchdogState.Feeding, onCrash.State);
        Assert.Equal(WatchdogState.Starving, onCut.State);
    }

    private sealed record View(bool Whole) : IQuorumView
    {
        public Corosync.QuorumReading ReadQuorum() => Corosync.QuorumReading.Quorate;

        public bool? WholeMembership() => Whole;
    }

    [Fact]
    public void A_node_that_stopped_feeding_holds_every_fence_for_good()
    {
        var device = new RecordingDevice();
        var feeder = new WatchdogFeeder(device, "/var/lib/palisade/watchdog", TimeSpan.FromSeconds(10), new ManualClock(T0), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var supervisor = new WatchdogSupervisor(feeder, new NodeLivenessBoard(Config(2, [1, 1], 0), new SteadyClock(TimeProvider.System)), new View(Whole: false));
        var partition = ImmutableDictionary<string, FenceHold>.Empty;

        Assert.Same(partition, supervisor.Holds(partition, ["n1"]));
        feeder.Observe(new WatchdogFacts(true, true, null));
        feeder.Observe(new WatchdogFacts(true, true, "lighter"));

        var hold = supervisor.Holds(partition, ["n1"])["n1"];
        Assert.Equal(DateTimeOffset.MaxValue, hold.Until);
        Assert.Equal("this node stopped feeding its watchdog (this node yields the two-node split: lighter) and is about to be reset: it fences nobody", hold.Reason);
    }
}
