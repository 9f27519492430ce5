using Palisade.Core.Tests.Simulation;
using Xunit;
namespace Palisade.Core.Tests;
public sealed class ScratchDump2
{
    [Fact]
    public void Dump2()
    {
        if (Environment.GetEnvironmentVariable("DUMP2") is null) return;
        var sim = new SimCluster(SimConfigs.ThreeNodesOneGroup());
        sim.Boot("n1");
        sim.Boot("n2");
        sim.RunUntil(() => sim.IsOnlineOnlyOn("web", "n1"), TimeSpan.FromSeconds(40));
        sim.Boot("n3");
        sim.RunFor(TimeSpan.FromSeconds(2));
        var lines = sim.Nodes.Where(n => n.State is not null).Select(n => $"{n.Name}: v{n.State!.Version} synced [{string.Join(",", n.State.Synced)}] phase {n.Replica!.Phase}");
        File.WriteAllText("/tmp/dump2.txt", string.Join("\n", lines) + "\n" + sim.RecentTrace(100000));
    }
}
