using Palisade.Core.Tests.Simulation;
using Xunit;
namespace Palisade.Core.Tests;
public sealed class ScratchDump
{
    [Fact]
    public void Dump()
    {
        var seedText = Environment.GetEnvironmentVariable("SEED");
        if (seedText is null) return;
        var seed = int.Parse(seedText);
        var run = new RandomRun(seed, bounded: Environment.GetEnvironmentVariable("UNBOUNDED") is null);
        string result = "ok";
        try
        {
            run.Boot();
            for (var i = 0; i < 40; i++) { run.Step(); run.Sim.CheckConsistency(); }
            run.RepairAll();
            run.Sim.RunFor(TimeSpan.FromSeconds(90));
            run.Sim.CheckConsistency();
        }
        catch (InvariantViolationException ex) { result = ex.Message.Split('\n')[0]; }
        File.WriteAllText("/tmp/seed.txt", result + "\n--- steps ---\n" + run.Steps + "\n--- trace ---\n" + run.Sim.RecentTrace(1000000));
    }
}
