using System.Globalization;
using Palisade.Simulation.Schedules;
using Xunit;
using Xunit.Abstractions;

namespace Palisade.Simulation.Tests;

/// <summary>
/// Fault schedules against real hosts: a fixed set of seeds (the same every run) plus fresh random ones (printed, so
/// any failure can be replayed with <c>scripts/simulate.sh --seed S</c>). Every invariant is on in every run. Sizes:
/// PALISADE_SIM_SCHEDULES (default 2000 in all), PALISADE_SIM_STEPS (default 12).
/// </summary>
public sealed class RandomScheduleTests(ITestOutputHelper output)
{
    private const int FixedFirst = 1;

    [Fact]
    public void Fault_schedules_keep_every_invariant()
    {
        var total = Setting("PALISADE_SIM_SCHEDULES", 2000);
        var steps = Setting("PALISADE_SIM_STEPS", 12);
        var fixedCount = total / 2;
        var randomFirst = Random.Shared.Next(1_000_000, 2_000_000_000 - total);
        output.WriteLine($"fixed seeds {FixedFirst}..{FixedFirst + fixedCount - 1}; fresh seeds {randomFirst}..{randomFirst + total - fixedCount - 1}; {steps} steps each");
        var seeds = Enumerable.Range(FixedFirst, fixedCount).Concat(Enumerable.Range(randomFirst, total - fixedCount));

        var (failures, runs, elapsed) = SimulationBatch.Run(seeds, steps);

        output.WriteLine($"{runs} schedules in {elapsed.TotalSeconds:0.0} s ({runs / elapsed.TotalSeconds:0.0}/s), {failures.Count} with violations");
        foreach (var failure in failures)
        {
            output.WriteLine($"seed {failure.Schedule.Seed} ({failure.Schedule.Cluster}): {failure.Violations[0]}");
        }

        // The fixed seeds must all hold. Fresh seeds still find rare holes (about one schedule in a thousand, listed
        // in the simulator's README as open): they are printed for replay, and fail the run once
        // PALISADE_SIM_STRICT=1, which becomes the default when those holes are closed.
        var fixedFailures = failures.Where(f => f.Schedule.Seed < FixedFirst + fixedCount).ToList();
        var counted = Environment.GetEnvironmentVariable("PALISADE_SIM_STRICT") == "1" ? failures : fixedFailures;
        Assert.Equal(total, runs);
        Assert.True(counted.Count == 0,
            $"{counted.Count} of {runs} schedules broke an invariant; replay with scripts/simulate.sh --steps {steps} --seed S, for S in: "
            + string.Join(" ", counted.Select(f => f.Schedule.Seed)));
    }

    /// <summary>
    /// Seeds that once broke an invariant (at the simulator's default of 20 steps), kept so each hole stays closed:
    /// an adopted group running nowhere (1147); a two-node stop on the side that lost the fence race (1568, 2613);
    /// both nodes of a two-node cluster Unclean with nobody left to coordinate (500801); a five-node weighted
    /// cluster fencing nodes that had come back (117789041); a start ordered on a node that left before it was
    /// delivered (8213); a palisaded that left before its probe while its groups still ran (6920); a stop overridden
    /// after a restart by an older start stamped by a clock running ahead (3346); two halves of a five-node weighted
    /// cluster, both quorate through auto_tie_breaker after successive splits, fencing each other (4810); a
    /// wall-clock jump on the lighter side of a two-node split cutting its wait short (27920); the heavier side's fence
    /// announced only after the lighter side's wait, both fencing (34696); an Unclean node left alone once the
    /// other was fenced, its groups blocked for good (20229, 23372, 32736); a monitor failure lost on a refused send
    /// (29750, 31485); a state snapshot lost on a refused send (30225); a node never seen since the cluster formed,
    /// back with nothing running, fenced while the only other node's own stop had failed (21341, 14055); a
    /// restarted palisaded shutting down during the merge, compared with the merged replicas (44024); an operator stop
    /// known only to a node fenced and still off (38459); a stop from before a merge, reported after the start
    /// ordered on the same node, undoing it so the group started elsewhere too (137955, 173173, 196007); a fence
    /// decided again while its first announcement was still unsent, the late one not declined (115684); a stop's
    /// report reaching one side of a two-node cut, both sides heaviest (193182); a partition's wait counted from a
    /// loss seen while it had no quorum, both halves fencing at once (179007, 184359, 190249); a fence begun before a
    /// split counted against a side of it by the check (170495); a joiner
    /// replaying the membership change its snapshot already held (172926, 193193); a group the state showed Online on
    /// a node taken back, which its new palisaded did not find, or found and did not watch (117952, 147891, 159403,
    /// 173307, 184235); a start request clearing a failure whose recovery was still due (110085, 112910); a node
    /// still marked leaving after it came back (151021, 304769); a start decided before a member joined that carried
    /// an operator's stop (108496); and two blocked states the liveness check now accepts: every member Unclean after
    /// its own failed stop with nobody to fence it (306153), a failed stop the world later finished (102838); both
    /// sides' fences announced late, both waiting the same time before fencing again (402582); a failover with no
    /// node to go to counted as answered, the group left with its failed resource once nodes came back (1000040,
    /// 1037331, 1099336); a stop on losing quorum whose report was refused, never sent again (1074394, 1089543,
    /// 1093773); a kill begun by a node on the other side taken over without the partition's wait (1010975); a stop
    /// that died with its palisaded, never ordered again, its deadline making the sole survivor Unclean round after
    /// round (2063836); a digest sent before its sender heard of a merge, compared with another partition's state
    /// (2038651). With monitors and down reports: an exact half that never held quorum since a split granted it by the
    /// simulated auto_tie_breaker when the other half's ring changed, so both halves fenced (5050578; votequorum keeps
    /// the tie-breaker of the membership it was last quorate in); an unanswered monitor error restarted after the
    /// operator had stopped the group (7012735, 7025366: the stop now outranks the ladder); an announcement of "no
    /// state" queued across a view change, counted in a view where its sender held a state, so one member started
    /// from the configuration beside another's state (7031398: an announcement counts only in the view it names); a
    /// start ordered before the operator's stop and delivered with it, taken by the check for a start after it
    /// (7086695); a palisaded still stopping a hung group after its corosync died when the heal came, never started
    /// again by the simulator once it exited 3 (7033660; a boot script restarts it); an operator's stop delivered while
    /// every member had just dropped its state at a merge, thrown away when they started from the configuration
    /// (8017982: requests buffered in that view are applied after the start); messages a node's corosync had taken
    /// before it died, delivered by the simulator once a new corosync ran there, so the cluster heard an earlier life
    /// of the node (8035106: a message belongs to the corosync run that took it); the report of a failed start whose
    /// roll-back could not stop, refused on a busy ring and never sent again, the group Starting for good (9017383); a
    /// group placed while another node whose probe could not tell was still stopping it there, a second copy
    /// (11030360: such a node now holds placement back until it reports the stop or is fenced); a view of one node
    /// holding the tie-breaker, quorate through a member whose palisaded was down, and the other half left quorate by
    /// votequorum: both waited the whole partition delay and fenced each other (11041639: the tie-breaker's side goes
    /// first); a resource failure found while the group's start report was still unapplied (both refused by a busy
    /// ring), dropped as overtaken, the group Online with nothing running (13015493: the failure waits for the start);
    /// a two-node split whose heavier side's kill failed once: in its 1 s backoff its advert no longer said it was
    /// killing, the lighter side fenced it and the retry landed too, both off (20013906: a fence failed under 10 s ago
    /// still holds the lighter side back). With node operations: a node back during maintenance whose probe could not
    /// tell whether a group still ran there (its monitor lied), the group left Online with nothing watching it, its
    /// crash never seen once maintenance ended (21020287: such a group counts as failed there and is stopped there when
    /// maintenance ends).
    /// </summary>
    [Fact]
    public void Seeds_that_once_broke_an_invariant_hold()
    {
        int[] seeds = [1147, 1568, 2613, 3346, 4810, 6920, 8213, 14055, 20229, 21341, 23372, 27920, 29750, 30225, 31485, 32736, 34696, 38459, 44024, 137955, 173173, 196007, 115684, 193182, 170495, 179007, 184359, 190249, 172926, 193193, 117952, 147891, 159403, 173307, 184235, 110085, 112910, 151021, 304769, 108496, 306153, 102838, 402582, 500801, 117789041, 1000040, 1037331, 1099336, 1074394, 1089543, 1093773, 1010975, 2063836, 2038651];
        var (failures, runs, _) = SimulationBatch.Run(seeds, 20, monitors: false); // as they were found: no listed monitor

        Assert.Equal(seeds.Length, runs);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(f => $"seed {f.Schedule.Seed}: {f.Violations[0]}")));

        int[] monitored = [5050578, 7012735, 7025366, 7031398, 7033660, 7086695, 8017982, 8035106, 9017383, 11030360, 11041639, 13015493, 20013906];
        var (later, laterRuns, _) = SimulationBatch.Run(monitored, 20, monitors: true, nodeOperations: false); // as found: no standby, no maintenance
        Assert.Equal(monitored.Length, laterRuns);
        Assert.True(later.Count == 0, string.Join("\n", later.Select(f => $"seed {f.Schedule.Seed}: {f.Violations[0]}")));

        int[] operated = [21020287];
        var (operatedFailures, operatedRuns, _) = SimulationBatch.Run(operated, 20, monitors: true, nodeOperations: true); // standby and maintenance too
        Assert.Equal(operated.Length, operatedRuns);
        Assert.True(operatedFailures.Count == 0, string.Join("\n", operatedFailures.Select(f => $"seed {f.Schedule.Seed}: {f.Violations[0]}")));
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
}
