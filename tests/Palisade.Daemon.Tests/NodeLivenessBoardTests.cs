using System.Collections.Immutable;
using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Planning;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Daemon.Tests;

public sealed class NodeLivenessBoardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);

    private static readonly ClusterConfig Config = new()
    {
        Name = "trio",
        Totem = new TotemConfig(),
        Nodes = [.. Enumerable.Range(1, 3).Select(i => new NodeConfig { Name = $"n{i}", Id = (uint)i, Interconnect = [$"198.18.0.{10 + i}"], Watchdog = i == 1 ? "/var/lib/palisade/watchdog" : null })],
        Groups = [],
        Shutdown = new ShutdownSettings { WatchdogTimeout = TimeSpan.FromSeconds(4) },
    };

    private static ClusterState State(NodeState n1, params uint[] members)
    {
        var state = ClusterState.Initial(Config);
        return state with
        {
            Nodes = state.Nodes.SetItem("n1", state.Nodes["n1"] with { State = n1 }),
            Members = [.. members],
        };
    }

    [Fact]
    public void A_node_is_lost_from_the_first_tick_outside_the_membership_while_it_needs_fencing_and_being_fenced_keeps_that_time()
    {
        var board = new NodeLivenessBoard(Config, new SteadyClock(TimeProvider.System));
        var adverts = new Dictionary<string, ReceivedAdvert>
        {
            ["n1"] = new(new PartitionAdvert("trio", "n1", ["n1"], 1, true, []) { Sequence = 7 }, T0 + TimeSpan.FromSeconds(1)),
        };

        board.Update(Config, State(NodeState.Fencing, 1, 2, 3), adverts, T0); // being killed while still a member
        var member = board.Of("n1");
        board.Update(Config, State(NodeState.Unclean, 2, 3), adverts, T0 + TimeSpan.FromSeconds(2));
        board.Update(Config, State(NodeState.Fencing, 2, 3), adverts, T0 + TimeSpan.FromSeconds(3));
        var fencing = board.Of("n1");
        board.Update(Config, State(NodeState.Online, 1, 2, 3), ImmutableDictionary<string, ReceivedAdvert>.Empty, T0 + TimeSpan.FromSeconds(4));

        Assert.Equal(new NodeLiveness("/var/lib/palisade/watchdog", TimeSpan.FromSeconds(4), true, null, T0 + TimeSpan.FromSeconds(1)), member);
        Assert.Equal(new NodeLiveness("/var/lib/palisade/watchdog", TimeSpan.FromSeconds(4), false, T0 + TimeSpan.FromSeconds(2), T0 + TimeSpan.FromSeconds(1)), fencing);
        Assert.Equal(new NodeLiveness("/var/lib/palisade/watchdog", TimeSpan.FromSeconds(4), true, null, null), board.Of("n1"));
        Assert.Null(board.Of("n2").Watchdog);
    }
}
