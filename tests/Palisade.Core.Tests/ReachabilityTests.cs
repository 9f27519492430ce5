using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>Each node's path test results in the replicated state: the fencing reachability matrix.</summary>
public sealed class ReachabilityTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();

    private static Transition Report(ClusterState s, string from, params PathTest[] paths) =>
        StateMachine.Apply(Config, s, new PathTestsReported([.. paths]) { From = from, At = T0 });

    [Fact]
    public void Results_are_kept_per_testing_node_and_a_path_that_fails_or_works_again_is_noted()
    {
        var s = ClusterState.Initial(Config);
        var first = Report(s, "n2", new PathTest("n1", 1, "ipmi", "worked", T0), new PathTest("n3", 1, "ipmi", "untested"));
        Assert.Empty(first.Notes);
        Assert.Equal<string>(["n2"], first.State.Reachability.Keys);

        var failed = Report(first.State, "n2", new PathTest("n1", 1, "ipmi", "failed", T0), new PathTest("n3", 1, "ipmi", "worked", T0));
        Assert.Equal<string>(["shutdown daemon on n2: the path to n1 through 1:ipmi failed its test"], failed.Notes);

        var again = Report(failed.State, "n2", new PathTest("n1", 1, "ipmi", "worked", T0), new PathTest("n3", 1, "ipmi", "worked", T0));
        Assert.Equal<string>(["shutdown daemon on n2: the path to n1 through 1:ipmi works again"], again.Notes);
        Assert.Equal("worked", again.State.Reachability["n2"][0].Result);
    }

    [Fact]
    public void A_path_being_tested_keeps_its_last_result_so_a_periodic_test_changes_nothing()
    {
        var table = ShutdownTable.Create(Config).Started("n1", 1, AgentActivity.Test, T0);

        var paths = PathTest.Of(table, [new PathTest("n1", 1, "test-bmc", "failed")]);

        Assert.Equal("failed", paths.Single(p => p.Target == "n1").Result);
        Assert.Equal("untested", paths.Single(p => p.Target == "n2").Result);
    }
}
