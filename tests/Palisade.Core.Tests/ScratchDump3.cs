using Palisade.Core.Tests.Simulation;
using Xunit;
namespace Palisade.Core.Tests;
public sealed class ScratchDump3
{
    [Fact]
    public void Dump3()
    {
        if (Environment.GetEnvironmentVariable("DUMP3") is null) return;
        // web prefers n2. n1's palisaded runs; n2 runs only corosync for a while (its palisaded starts late).
        var sim = new SimCluster(SimConfigs.Cluster(3, SimConfigs.Group("web", "n2", "n1", "n3")));
        sim.Faults.FailFence("n2"); // its BMC is unreachable
        sim.StartCorosync("n2");
        sim.Boot("n1");
        sim.RunFor(TimeSpan.FromSeconds(40));
        var mid = $"after 40 s: n1 quorate={sim["n1"].Quorate} web={sim["n1"].State!.Groups["web"].State} on {sim["n1"].State!.Groups["web"].Node}; world {string.Join(",", sim.World.NodesRunning("web"))}";
        sim.StartDaemon("n2");
        sim.RunFor(TimeSpan.FromSeconds(40));
        File.WriteAllText("/tmp/dump3.txt", mid + "\nviolations: " + string.Join(" | ", sim.Violations) + "\nworld: " + string.Join(",", sim.World.NodesRunning("web")) + "\n" + sim.RecentTrace(100000));
    }
}
