namespace Palisade.Core.Tests.Simulation;

/// <summary>Starting points shared by the scenario tests.</summary>
internal static class SimScenarios
{
    /// <summary>Three nodes booted together with <c>web</c> Online on n1 and nothing else going on.</summary>
    public static SimCluster RunningOnN1(SimOptions? options = null)
    {
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup(), options);
        sim.BootTogether("n1", "n2", "n3");
        if (!sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("the cluster did not start web on n1:\n" + sim.RecentTrace());
        }

        sim.RunFor(TimeSpan.FromSeconds(1));
        return sim;
    }
}
