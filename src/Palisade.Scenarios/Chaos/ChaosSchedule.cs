namespace Palisade.Scenarios.Chaos;

/// <summary>The kinds of fault a chaos run injects into the lab.</summary>
public enum ChaosFault
{
    PowerOff,
    KillDaemon,
    Cut,
    CutAll,
    Split,
    BmcDown,
    MonitorFailure,
}

/// <summary>One fault of a schedule: what, on which node, and the pause after it.</summary>
public sealed record ChaosStep(ChaosFault Fault, string Node, TimeSpan GapAfter)
{
    public override string ToString() => Fault switch
    {
        ChaosFault.PowerOff => $"power {Node} off",
        ChaosFault.KillDaemon => $"kill -9 palisaded on {Node}",
        ChaosFault.Cut => $"cut {Node}'s interconnect",
        ChaosFault.CutAll => $"cut {Node}'s interconnect and admin links",
        ChaosFault.Split => $"split {Node} off on its own interconnect",
        ChaosFault.BmcDown => $"bmc {Node} down",
        ChaosFault.MonitorFailure => "kill the service behind palisaded's back where the group runs (a monitor failure)",
        _ => Fault.ToString(),
    } + $", wait {GapAfter.TotalSeconds:0.0} s";
}

/// <summary>Random fault schedules, the same for the same seed.</summary>
public static class ChaosSchedule
{
    /// <summary>
    /// Two to five faults with random gaps (0.2 to 6 s). A monitor failure names no node: it hits whichever node
    /// runs the group when it is injected.
    /// </summary>
    public static IReadOnlyList<ChaosStep> For(int seed, IReadOnlyList<string> nodes)
    {
        var rng = new Random(seed);
        var faults = Enum.GetValues<ChaosFault>();
        var count = rng.Next(2, 6);
        return [.. Enumerable.Range(0, count).Select(_ => new ChaosStep(
            faults[rng.Next(faults.Length)],
            nodes[rng.Next(nodes.Count)],
            TimeSpan.FromMilliseconds(rng.Next(200, 6000))))];
    }
}
