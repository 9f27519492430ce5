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
            run.Sim.CheckConsistency();
            var st = run.Sim.Nodes.FirstOrDefault(n => n.Synced)?.State;
            result = "end: " + string.Join("; ", run.Sim.Nodes.Select(n => $"{n.Name} coro={n.CorosyncUp} daemon={n.DaemonUp} synced={n.Synced} q={n.Quorate} state={st?.Nodes[n.Name].State}"))
                + " | " + string.Join("; ", st?.Groups.Values.Select(g => $"{g.Name} {g.State} on {g.Node} target {g.Target} moveTo {g.MoveTo}") ?? []);
        }
        catch (InvariantViolationException ex) { result = ex.Message.Split('\n')[0]; }
        File.WriteAllText("/tmp/seed.txt", result + "\n--- steps ---\n" + run.Steps + "\n--- trace ---\n" + run.Sim.RecentTrace(1000000));
    }
}
