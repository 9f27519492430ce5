using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests.Safety;

/// <summary>
/// Both halves of a two-node cluster keep quorum on a cut; when neither can fence the other, both keep a state.
/// When they merge again, the side of the lowest node id keeps its state and the other takes it and probes again.
/// (The whole cut and merge on the real host: the simulation's SafetyScenarioTests.)
/// </summary>
public sealed class TwoNodeMergeTests
{
    [Fact]
    public void A_snapshot_from_a_higher_lineage_is_ignored_and_one_from_a_lower_lineage_is_adopted_with_a_replay()
    {
        var config = TestConfigs.Cluster(2, TestConfigs.Group("web", "n1", "n2"));
        var t0 = TestConfigs.Epoch;
        var n1 = new Replica(config, "n1");
        var n2 = new Replica(config, "n2");
        n1.Deliver(new MembershipChanged([1], [], [1]), t0);
        n2.Deliver(new MembershipChanged([2], [], [2]), t0);
        n1.Deliver(new ClusterSettled("alone") { From = "n1", At = t0 }, t0);
        n2.Deliver(new ClusterSettled("alone") { From = "n2", At = t0 }, t0);

        var merge = new MembershipChanged([1, 2], [], [2]);
        var fromN1 = Assert.IsType<StateSnapshot>(Assert.Single(n1.Deliver(merge, t0).ToSend));
        var fromN2 = Assert.IsType<StateSnapshot>(Assert.Single(n2.Deliver(merge with { Joined = [1] }, t0).ToSend));
        var between = new AdminRequest("web", AdminAction.Stop, null, "operator on n2") { From = "n2", At = t0 };

        foreach (var m in new ClusterMessage[] { fromN2, between })
        {
            n1.Deliver(m, t0);
            n2.Deliver(m, t0);
        }

        var ignored = n1.Deliver(fromN1, t0);
        var adopted = n2.Deliver(fromN1, t0);

        Assert.False(ignored.AdoptedState);
        Assert.True(adopted.AdoptedState);
        Assert.StartsWith("merged with a side that held its own state: taking n1's state", adopted.Notes[0], StringComparison.Ordinal);
        Assert.Equal(StateHasher.Hash(n1.State!), StateHasher.Hash(n2.State!));
        Assert.Equal(GroupTarget.Stopped, n2.State!.Groups["web"].Target);
    }
}
