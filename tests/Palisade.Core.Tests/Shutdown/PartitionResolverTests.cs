using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

public sealed class PartitionResolverTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);
    private static readonly ImmutableDictionary<string, ReceivedAdvert> NoAdverts = ImmutableDictionary<string, ReceivedAdvert>.Empty;

    private static ClusterConfig Config(int nodes, int[] weights, int priority = 0)
    {
        var config = TestConfigs.Cluster(nodes, TestConfigs.Group("web", "n1", "n2") with { ShutdownPriority = priority });
        return config with { Nodes = [.. config.Nodes.Select((n, i) => n with { Weight = weights[i] })] };
    }

    /// <summary>The state as the members of <paramref name="side"/> see it after the split; web Online on <paramref name="webOn"/>.</summary>
    private static ClusterState After(ClusterConfig config, string[] side, string? webOn)
    {
        var state = ClusterState.Initial(config);
        var nodes = state.Nodes.ToImmutableSortedDictionary(
            n => n.Key,
            n => n.Value with { State = side.Contains(n.Key) ? NodeState.Online : NodeState.Unclean, Reason = "test" });
        var groups = webOn is null ? state.Groups : state.Groups.SetItem("web", state.Groups["web"] with { State = GroupState.Online, Node = webOn });
        return state with
        {
            Nodes = nodes,
            Groups = groups,
            Members = [.. side.Select(s => config.FindNode(s)!.Id)],
            Settled = true,
        };
    }

    private static ImmutableDictionary<string, DateTimeOffset> Lost(params string[] nodes) =>
        nodes.ToImmutableDictionary(n => n, _ => T0);

    [Fact]
    public void Two_nodes_the_heavier_fences_at_once_and_the_lighter_waits_by_its_share()
    {
        var config = Config(2, [3, 1]);

        var heavy = PartitionResolver.Resolve(config, After(config, ["n1"], null), Lost("n2"), NoAdverts, T0)!;
        var light = PartitionResolver.Resolve(config, After(config, ["n2"], null), Lost("n1"), NoAdverts, T0)!;

        Assert.True(heavy.Heaviest);
        Assert.Empty(heavy.Holds);
        Assert.Equal("this partition [n1] weighs 3 (nodes 3) of 4; [n2] weighs 1 (nodes 1); heaviest: fencing the others at once", heavy.Summary);
        Assert.False(light.Heaviest);
        Assert.Equal(TimeSpan.FromSeconds(7.5), light.Delay);
        Assert.Equal(T0 + TimeSpan.FromSeconds(7.5), light.Holds["n1"].Until);
        Assert.Equal("this partition [n2] weighs 1 (nodes 1) of 4; [n1] weighs 3 (nodes 3); lighter (25%): waiting 7.5 s before fencing", light.Summary);
    }

    [Fact]
    public void A_kill_begun_by_a_node_on_the_other_side_is_lost_to_this_side_and_its_takeover_waits_like_any_fence()
    {
        // Seed 1010975: n1 was fencing n3 when the cut left n2 alone; n2's takeover of that kill must wait as a
        // lighter side, or both sides fence each other.
        var config = Config(3, [2, 1, 1]);
        var state = After(config, ["n2"], null);
        state = state with { Nodes = state.Nodes.SetItem("n3", state.Nodes["n3"] with { State = NodeState.Fencing, FencingBy = "n1" }) };

        Assert.Equal(["n1", "n3"], PartitionResolver.Lost(state).Order(StringComparer.Ordinal));
        var verdict = PartitionResolver.Resolve(config, state, Lost("n1", "n3"), NoAdverts, T0)!;
        Assert.False(verdict.Heaviest);
        Assert.True(verdict.Holds.ContainsKey("n3"));

        var ownKill = state with { Nodes = state.Nodes.SetItem("n3", state.Nodes["n3"] with { FencingBy = "n2" }) };
        Assert.Equal(["n1"], PartitionResolver.Lost(ownKill));
    }

    [Fact]
    public void The_shutdown_priority_of_an_online_group_moves_the_outcome_with_the_group()
    {
        var config = Config(2, [2, 1], priority: 5);

        var onN2 = PartitionResolver.Resolve(config, After(config, ["n2"], "n2"), Lost("n1"), NoAdverts, T0)!;
        var onN1 = PartitionResolver.Resolve(config, After(config, ["n2"], "n1"), Lost("n1"), NoAdverts, T0)!;

        Assert.True(onN2.Heaviest);
        Assert.Equal("nodes 1 + web 5", onN2.Mine.Breakdown);
        Assert.False(onN1.Heaviest);
        Assert.Equal(7, onN1.Others.Single().Weight);
    }

    [Fact]
    public void A_side_heaviest_only_through_its_groups_gives_the_side_first_by_node_weights_a_quarter_of_the_delay()
    {
        // web's stop order reached only n2 before the cut (seed 193182): n2 counts web, n1 does not. Both think
        // themselves heaviest; n1, first by node weights, fences at once and n2 waits 2.5 s, so n1 is first.
        var config = Config(2, [1, 1], priority: 5);

        var n2 = PartitionResolver.Resolve(config, After(config, ["n2"], "n2"), Lost("n1"), NoAdverts, T0)!;
        var n1 = PartitionResolver.Resolve(config, After(config, ["n1"], null), Lost("n2"), NoAdverts, T0)!;

        Assert.True(n2.Heaviest);
        Assert.Equal(TimeSpan.FromSeconds(2.5), n2.Delay);
        Assert.Equal(T0 + TimeSpan.FromSeconds(2.5), n2.Holds["n1"].Until);
        Assert.EndsWith("heaviest through its groups, [n1] by node weights: waiting 2.5 s before fencing", n2.Summary, StringComparison.Ordinal);
        Assert.True(n1.Heaviest);
        Assert.Empty(n1.Holds);
    }

    [Fact]
    public void Equal_weights_go_to_the_partition_with_the_alphabetically_first_node()
    {
        var config = Config(2, [1, 1]);

        var first = PartitionResolver.Resolve(config, After(config, ["n1"], null), Lost("n2"), NoAdverts, T0)!;
        var second = PartitionResolver.Resolve(config, After(config, ["n2"], null), Lost("n1"), NoAdverts, T0)!;

        Assert.True(first.Heaviest);
        Assert.Contains("tie won by the first node name", first.Summary, StringComparison.Ordinal);
        Assert.False(second.Heaviest);
        Assert.Equal(TimeSpan.FromSeconds(5), second.Delay);
    }

    [Fact]
    public void Without_two_node_only_a_partition_that_says_it_is_quorate_holds_anything()
    {
        var config = Config(3, [1, 1, 1]);
        var state = After(config, ["n1", "n2"], null);

        Assert.Null(PartitionResolver.Resolve(config, state, Lost("n3"), NoAdverts, T0));
        var notQuorate = Advert("n3", ["n3"], quorate: false, T0);
        Assert.Null(PartitionResolver.Resolve(config, state, Lost("n3"), notQuorate, T0));

        var quorate = PartitionResolver.Resolve(config, state, Lost("n3"), Advert("n3", ["n3"], quorate: true, T0), T0)!;
        Assert.True(quorate.Heaviest);
    }

    [Fact]
    public void An_advert_sent_before_the_split_is_no_evidence_of_another_quorate_partition()
    {
        var config = Config(3, [1, 1, 1]);
        var state = After(config, ["n1", "n2"], "n3");

        // n3's last advert, from before it died, lists the whole cluster and says quorate.
        var lastWords = Advert("n3", ["n1", "n2", "n3"], quorate: true, T0);

        Assert.Null(PartitionResolver.Resolve(config, state, Lost("n3"), lastWords, T0));
    }

    [Fact]
    public void A_lighter_partition_keeps_waiting_while_the_heavier_says_it_is_killing_one_of_its_nodes()
    {
        var config = Config(2, [1, 1]);
        var state = After(config, ["n2"], null);
        var now = T0 + TimeSpan.FromSeconds(6); // past the 5 s delay
        var adverts = Advert("n1", ["n1"], quorate: true, now - TimeSpan.FromSeconds(1), killing: ["n2"]);

        var verdict = PartitionResolver.Resolve(config, state, Lost("n1"), adverts, now)!;

        Assert.Equal(now - TimeSpan.FromSeconds(1) + PartitionResolver.AdvertFreshness, verdict.Holds["n1"].Until);
        Assert.Equal("the heavier partition (n1) is killing n2", verdict.Holds["n1"].Reason);

        var stale = PartitionResolver.Resolve(config, state, Lost("n1"), adverts, now + PartitionResolver.AdvertFreshness)!;
        Assert.Empty(stale.Holds);
    }

    [Fact]
    public void Lost_nodes_are_grouped_as_their_adverts_say_and_the_silent_ones_together()
    {
        var config = Config(5, [1, 1, 1, 1, 1]);
        var state = After(config, ["n1", "n2"], null);

        var verdict = PartitionResolver.Resolve(config, state, Lost("n3", "n4", "n5"), Advert("n3", ["n3"], quorate: true, T0), T0)!;

        Assert.Equal([["n3"], ["n4", "n5"]], verdict.Others.Select(o => o.Nodes.ToArray()));
    }

    [Fact]
    public void Of_two_halves_with_exactly_half_the_votes_only_the_one_holding_the_tie_breaker_fences_at_once_even_without_adverts()
    {
        // Weights 2,1,2,1,2: [n1,n3] and [n2,n4,n5] both hold 4 of 8 votes. After successive splits votequorum's
        // auto_tie_breaker can leave both quorate, and each side sees the state differently (here web on its side).
        var config = Config(5, [2, 1, 2, 1, 2], priority: 5);

        var withBreaker = PartitionResolver.Resolve(config, After(config, ["n1", "n3"], null), Lost("n2", "n4", "n5"), NoAdverts, T0)!;
        var without = PartitionResolver.Resolve(config, After(config, ["n2", "n4", "n5"], "n2"), Lost("n1", "n3"), NoAdverts, T0)!;

        Assert.True(withBreaker.Heaviest);
        Assert.Empty(withBreaker.Holds);
        Assert.EndsWith("exactly half the votes, with tie-breaker n1: fencing the others at once", withBreaker.Summary);
        Assert.False(without.Heaviest);
        Assert.Equal(config.Shutdown.PartitionDelay, without.Delay);
        Assert.Equal(T0 + config.Shutdown.PartitionDelay, without.Holds["n1"].Until);
        Assert.Equal(T0 + config.Shutdown.PartitionDelay, without.Holds["n3"].Until);
        Assert.Equal("this partition holds no majority of the votes and not tie-breaker n1: a side that does fences first", without.Holds["n1"].Reason);
    }

    [Fact]
    public void A_view_with_less_than_half_the_votes_never_fences_at_once()
    {
        // Quorate through members whose palisaded is not in this view yet: the complement may be quorate too.
        var config = Config(5, [2, 1, 2, 1, 2]);

        var verdict = PartitionResolver.Resolve(config, After(config, ["n2", "n5"], null), Lost("n3"), NoAdverts, T0)!;

        Assert.False(verdict.Heaviest);
        Assert.Equal(T0 + config.Shutdown.PartitionDelay, verdict.Holds["n3"].Until);
        Assert.Contains("less than half the votes, without tie-breaker n1", verdict.Summary);
    }

    [Fact]
    public void A_view_with_less_than_half_the_votes_that_holds_the_tie_breaker_fences_before_a_half_without_it()
    {
        // n3's palisaded is down but its corosync keeps [n1,n3] quorate; [n2,n4,n5] may be left quorate too. Both
        // waiting the whole delay made both fence: the side holding the tie-breaker goes first.
        var config = Config(5, [2, 1, 2, 1, 2]);

        var breaker = PartitionResolver.Resolve(config, After(config, ["n1"], null), Lost("n5"), NoAdverts, T0)!;
        var other = PartitionResolver.Resolve(config, After(config, ["n2", "n4", "n5"], null), Lost("n1"), NoAdverts, T0)!;

        Assert.False(breaker.Heaviest);
        Assert.Equal(config.Shutdown.PartitionDelay / 4, breaker.Delay);
        Assert.Equal(T0 + (config.Shutdown.PartitionDelay / 4), breaker.Holds["n5"].Until);
        Assert.Contains("less than half the votes, with tie-breaker n1: waiting 2.5 s before fencing", breaker.Summary);
        Assert.StartsWith("this partition holds tie-breaker n1 but less than half the votes in view", breaker.Holds["n5"].Reason);
        Assert.Equal(config.Shutdown.PartitionDelay, other.Delay);
        Assert.True(other.Holds["n1"].Until > breaker.Holds["n5"].Until);
    }

    private static ImmutableDictionary<string, ReceivedAdvert> Advert(string from, string[] members, bool quorate, DateTimeOffset at, string[]? killing = null) =>
        ImmutableDictionary<string, ReceivedAdvert>.Empty.Add(from,
            new ReceivedAdvert(new PartitionAdvert("test", from, [.. members], 1, quorate, [.. killing ?? []]), at));
}
