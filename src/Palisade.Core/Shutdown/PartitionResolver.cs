using System.Collections.Immutable;
using System.Globalization;
using Palisade.Core.Configuration;
using Palisade.Core.Planning;
using Palisade.Core.State;

namespace Palisade.Core.Shutdown;

/// <summary>One partition as partition resolution weighs it.</summary>
/// <param name="Weight">Sum of its nodes' weights plus the shutdown priority of every group Online on them.</param>
public sealed record WeighedPartition(ImmutableArray<string> Nodes, int Weight, string Breakdown);

/// <summary>The outcome for this partition, with the figures behind it for the log.</summary>
/// <param name="Holds">Lost nodes whose fencing waits, and until when; empty when this partition fences at once.</param>
public sealed record PartitionVerdict(
    WeighedPartition Mine,
    ImmutableArray<WeighedPartition> Others,
    bool Heaviest,
    TimeSpan Delay,
    ImmutableDictionary<string, FenceHold> Holds,
    string Summary);

/// <summary>
/// Partition resolution. When the cluster splits so that more than one part may keep quorum (a two_node cluster, or
/// a part that says over the admin LAN that it is quorate), every part weighs itself and the others the same way from
/// the replicated state they shared before the split: the heaviest fences the others at once; a lighter one waits
/// <see cref="ShutdownSettings.PartitionDelay"/> times (1 - its share of the total weight), so the heavier wins the race
/// and the lighter only fences when the heavier could not. Ties go to the part holding the alphabetically first node.
/// Pure: every input is given.
/// </summary>
public static class PartitionResolver
{
    /// <summary>
    /// The nodes this partition has lost and may fence: Unclean outside the membership, or outside it and being fenced
    /// by a node that is not a member either (a kill this partition would take over is a fence like any other).
    /// </summary>
    public static ImmutableHashSet<string> Lost(ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Nodes.Values.Where(n => !state.Members.Contains(n.Id) && (n.State == NodeState.Unclean
                || (n.State == NodeState.Fencing && (n.FencingBy is not { } by || !state.IsMember(by)))))
            .Select(n => n.Name).ToImmutableHashSet(StringComparer.Ordinal);
    }

    /// <summary>An advert older than this no longer tells what a partition is doing.</summary>
    public static readonly TimeSpan AdvertFreshness = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Null when no other partition may hold quorum (quorum alone decides, nothing is held); else the verdict.
    /// </summary>
    /// <param name="lostAt">When this node first saw each lost node go (its clock).</param>
    public static PartitionVerdict? Resolve(
        ClusterConfig config,
        ClusterState state,
        ImmutableDictionary<string, DateTimeOffset> lostAt,
        IReadOnlyDictionary<string, ReceivedAdvert> adverts,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(lostAt);
        ArgumentNullException.ThrowIfNull(adverts);
        var mine = state.Members.Select(state.NodeById).Where(n => n is not null).Select(n => n!.Name).Order(StringComparer.Ordinal).ToImmutableArray();
        var lostNow = Lost(state);
        var lost = lostAt.Keys.Where(n => !mine.Contains(n) && lostNow.Contains(n)).Order(StringComparer.Ordinal).ToImmutableArray();
        if (lost.IsEmpty || mine.IsEmpty)
        {
            return null;
        }

        // Only an advert sent after the split tells about another partition: one that still lists a node of this
        // partition was sent before (the last words of a node that has since died, say).
        var fresh = adverts.Values
            .Where(a => now - a.ReceivedAt <= AdvertFreshness && lost.Contains(a.Advert.From) && !a.Advert.Members.Any(mine.Contains))
            .ToList();
        var votes = mine.Sum(n => config.FindNode(n)?.Weight ?? 1) * 2;
        var allVotes = config.Nodes.Sum(n => n.Weight);
        // Two disjoint parts can both be quorate only as exact halves (auto_tie_breaker), so only with an even total.
        var contested = !config.TwoNode && allVotes % 2 == 0 && votes <= allVotes;
        var exactHalf = !config.TwoNode && votes == allVotes;
        if (!config.TwoNode && !contested && !fresh.Any(a => a.Advert.Quorate))
        {
            return null;
        }

        var others = OtherPartitions(lost, fresh).Select(p => Weigh(config, state, p)).ToImmutableArray();
        var me = Weigh(config, state, mine);
        var all = others.Add(me);
        var total = all.Sum(p => p.Weight);
        var winner = all.OrderByDescending(p => p.Weight).ThenBy(p => p.Nodes.Min(StringComparer.Ordinal), StringComparer.Ordinal).First();
        var tieBreaker = config.Nodes.Select(n => n.Name).Min(StringComparer.Ordinal) ?? "";
        // Without a strict majority of the votes, quorum came through auto_tie_breaker (exactly half), or from members
        // whose palisaded is not in this view yet; after successive splits votequorum can leave the complement
        // quorate too, each side with its own picture of the state. Only a half holding the tie-breaker node (the one
        // the configuration names first) fences at once; any other waits, with or without adverts, so two sides never
        // fence each other.
        var heaviest = contested ? exactHalf && mine.Contains(tieBreaker) : winner == me;
        // A view holding the tie-breaker with less than half the votes is quorate through members whose palisaded is
        // not in it (their corosync is): its corosync membership holds the tie-breaker, so a complement left quorate
        // holds neither it nor a majority and waits the whole delay. This side goes first, after a quarter of it.
        var breakerFirst = contested && !exactHalf && mine.Contains(tieBreaker);
        // The groups' part of the weight comes from the replicated state, and the last reports before a cut may reach
        // one side only: both sides may then think themselves heaviest. The side that is heaviest by node weights
        // alone (which every side reads the same from the configuration) fences at once; one heaviest only through
        // its groups waits a quarter of the delay, so if both sides fence, the one the configuration favours is first.
        var byNodes = all.OrderByDescending(p => NodeWeight(config, p.Nodes)).ThenBy(p => p.Nodes.Min(StringComparer.Ordinal), StringComparer.Ordinal).First();
        var byGroups = heaviest && !contested && byNodes != me;
        var share = total == 0 ? 1.0 / all.Length : (double)me.Weight / total;
        var delay = byGroups || breakerFirst ? config.Shutdown.PartitionDelay / 4
            : heaviest ? TimeSpan.Zero
            : contested ? config.Shutdown.PartitionDelay
            : config.Shutdown.PartitionDelay * (1 - share);

        var holds = ImmutableDictionary.CreateBuilder<string, FenceHold>();
        foreach (var node in lost)
        {
            var until = lostAt[node] + delay;
            // A heavier partition that says it is killing one of ours is winning: wait while it says so.
            var killer = fresh.FirstOrDefault(a => a.Advert.From == node && a.Advert.Killing.Any(mine.Contains));
            if (!heaviest && killer is not null)
            {
                var extended = killer.ReceivedAt + AdvertFreshness;
                until = extended > until ? extended : until;
            }

            if (until > now)
            {
                var why = byGroups
                    ? $"this partition is heaviest only through its groups: [{string.Join(",", byNodes.Nodes)}], heavier by node weights, fences first"
                    : breakerFirst
                    ? $"this partition holds tie-breaker {tieBreaker} but less than half the votes in view: it fences before a side without the tie-breaker does"
                    : killer is not null && !heaviest
                    ? $"the heavier partition ({node}) is killing {string.Join(", ", killer.Advert.Killing.Where(mine.Contains))}"
                    : contested
                        ? $"this partition holds no majority of the votes and not tie-breaker {tieBreaker}: a side that does fences first"
                        : $"this partition is lighter ({Percent(share)} of the weight): the heavier one fences first";
                holds[node] = new FenceHold(until, why);
            }
        }

        var tie = all.Count(p => p.Weight == me.Weight) > 1 ? " (tie won by the first node name)" : "";
        var outcome = (heaviest, contested) switch
        {
            (true, true) => $"exactly half the votes, with tie-breaker {tieBreaker}: fencing the others at once",
            (true, false) when byGroups => string.Create(CultureInfo.InvariantCulture,
                $"heaviest{tie} through its groups, [{string.Join(",", byNodes.Nodes)}] by node weights: waiting {delay.TotalSeconds:0.0} s before fencing"),
            (true, false) => $"heaviest{tie}: fencing the others at once",
            (false, true) => string.Create(CultureInfo.InvariantCulture,
                $"{(exactHalf ? "exactly half" : "less than half")} the votes, {(breakerFirst ? "with" : "without")} tie-breaker {tieBreaker}: waiting {delay.TotalSeconds:0.0} s before fencing"),
            _ => string.Create(CultureInfo.InvariantCulture, $"lighter ({Percent(share)}): waiting {delay.TotalSeconds:0.0} s before fencing"),
        };
        var summary = $"this partition [{string.Join(",", me.Nodes)}] weighs {me.Weight} ({me.Breakdown}) of {total}; "
            + string.Join("; ", others.Select(o => $"[{string.Join(",", o.Nodes)}] weighs {o.Weight} ({o.Breakdown})"))
            + "; " + outcome;
        return new PartitionVerdict(me, others, heaviest, delay, holds.ToImmutable(), summary);
    }

    /// <summary>The lost nodes grouped as their adverts say; silent lost nodes count as one partition together.</summary>
    private static IEnumerable<ImmutableArray<string>> OtherPartitions(ImmutableArray<string> lost, List<ReceivedAdvert> fresh)
    {
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var advert in fresh.OrderBy(a => a.Advert.From, StringComparer.Ordinal))
        {
            var members = advert.Advert.Members.Where(lost.Contains).Where(placed.Add).Order(StringComparer.Ordinal).ToImmutableArray();
            if (!members.IsEmpty)
            {
                yield return members;
            }
        }

        var silent = lost.Where(placed.Add).ToImmutableArray();
        if (!silent.IsEmpty)
        {
            yield return silent;
        }
    }

    /// <summary>
    /// Node weights plus the shutdown priority of each group placed on the partition's nodes (Starting, Online or
    /// Stopping). A start's last report may reach only one side of a cut; counting the group from its start order,
    /// which both sides applied, keeps both sides' figures the same.
    /// </summary>
    public static WeighedPartition Weigh(ClusterConfig config, ClusterState state, ImmutableArray<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(state);
        var nodeWeight = NodeWeight(config, nodes);
        var groups = state.Groups.Values
            .Where(g => g.State is GroupState.Starting or GroupState.Online or GroupState.Stopping && g.Node is not null && nodes.Contains(g.Node))
            .Select(g => (g.Name, Priority: config.FindGroup(g.Name)?.ShutdownPriority ?? 0))
            .Where(g => g.Priority != 0)
            .ToList();
        var breakdown = $"nodes {nodeWeight}" + string.Concat(groups.Select(g => $" + {g.Name} {g.Priority}"));
        return new WeighedPartition(nodes, nodeWeight + groups.Sum(g => g.Priority), breakdown);
    }

    private static int NodeWeight(ClusterConfig config, ImmutableArray<string> nodes) => nodes.Sum(n => config.FindNode(n)?.Weight ?? 1);

    private static string Percent(double share) => (share * 100).ToString("0", CultureInfo.InvariantCulture) + "%";
}
