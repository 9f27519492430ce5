using Palisade.Core.State;
using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class RandomizedTests
{
    private const int Steps = 40;

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 200)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_faults_within_the_design_envelope_keep_every_invariant_and_the_cluster_recovers(int seed)
    {
        var run = new RandomRun(seed, bounded: true);
        Run(run, seed, () =>
        {
            run.RepairAll();
            run.Sim.CheckConsistency();
            AssertRecovered(run.Sim);
        });

        Assert.Empty(run.Sim.FreshStatesOverRunningGroups);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_faults_beyond_the_envelope_never_fence_without_quorum_nor_start_over_an_unclean_owner(int seed)
    {
        var run = new RandomRun(seed, bounded: false);
        Run(run, seed, () => { });
    }

    private static void Run(RandomRun run, int seed, Action end)
    {
        try
        {
            run.Boot();
            for (var i = 0; i < Steps; i++)
            {
                run.Step();
                run.Sim.CheckConsistency();
            }

            end();
        }
        catch (Exception ex) when (ex is InvariantViolationException or Xunit.Sdk.XunitException)
        {
            Assert.Fail($"seed {seed}: {ex.Message}\n--- steps ---\n{run.Steps}\n--- trace ---\n{run.Sim.RecentTrace(200)}");
        }

        Assert.Empty(run.Sim.Violations);
    }

    private static void AssertRecovered(SimCluster sim)
    {
        Assert.All(sim.Nodes, n => Assert.True(n.Synced && n.Quorate, $"{n.Name} is not a synced quorate member"));
        Assert.Single(sim.Nodes.Select(n => sim.Hash(n.Name)).Distinct());
        var state = sim.Nodes[0].State!;
        Assert.All(state.Nodes.Values, n => Assert.Equal(NodeState.Online, n.State));
        foreach (var group in state.Groups.Values)
        {
            if (group.Target == GroupTarget.Stopped)
            {
                Assert.Equal(GroupState.Offline, group.State);
                Assert.Empty(sim.World.NodesRunning(group.Name));
            }
            else
            {
                Assert.Equal(GroupState.Online, group.State);
                Assert.Equal([group.Node!], sim.World.NodesRunning(group.Name));
            }
        }
    }
}
