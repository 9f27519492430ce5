using Palisade.Core.Tests.Simulation;
using Xunit;
namespace Palisade.Core.Tests;
public sealed class ScratchDump4
{
    [Fact]
    public void Dump4()
    {
        if (Environment.GetEnvironmentVariable("DUMP4") is null) return;
        var twice = 0; var amnesia = 0;
        for (var seed = 1; seed <= 200; seed++)
        {
            var run = new RandomRun(seed, bounded: false);
            run.Boot();
            for (var i = 0; i < 40; i++) { run.Step(); }
            if (run.Sim.World.MaxConcurrent > 1) twice++;
            if (run.Sim.FreshStatesOverRunningGroups.Count > 0) amnesia++;
        }
        File.WriteAllText("/tmp/dump4.txt", $"unbounded seeds with a group on two nodes: {twice}; with a quorate fresh state over running groups: {amnesia}");
    }
}
