using System.Collections.Immutable;

namespace Palisade.Core.Shutdown;

/// <summary>What a node's shutdown daemon last found testing one path: an agent (by its place in the chain) of a target.</summary>
/// <param name="Result">worked, failed or untested (not tested since that shutdown daemon started, or being tested).</param>
/// <param name="LastWorked">When a test of the path last worked, since that shutdown daemon started.</param>
public sealed record PathTest(string Target, int Index, string Agent, string Result, DateTimeOffset? LastWorked = null)
{
    public static string ResultOf(TestState test) => test switch
    {
        TestState.TestWorked => "worked",
        TestState.TestFailed => "failed",
        _ => "untested",
    };

    /// <summary>
    /// The paths of a shutdown daemon's table as this record says them; a path being tested keeps its result in
    /// <paramref name="previous"/>, so a periodic test that ends as the one before changes nothing.
    /// </summary>
    public static ImmutableArray<PathTest> Of(ShutdownTable table, ImmutableArray<PathTest> previous)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.Rows.Select(r => new PathTest(r.Target, r.Index, r.Agent,
            r.Test == TestState.Testing && previous.FirstOrDefault(p => p.Target == r.Target && p.Index == r.Index && p.Agent == r.Agent) is { } was
                ? was.Result
                : ResultOf(r.Test),
            r.LastTestWorked))];
    }

    /// <summary>Whether two lists say the same of every path (the times of the last success aside).</summary>
    public static bool SameResults(ImmutableArray<PathTest> a, ImmutableArray<PathTest> b) =>
        a.Length == b.Length && a.Zip(b).All(p => p.First with { LastWorked = null } == p.Second with { LastWorked = null });
}
