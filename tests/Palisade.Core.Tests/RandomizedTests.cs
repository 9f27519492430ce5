using Palisade.Core.Tests.Simulation;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class RandomizedTests
{
    private const int Steps = 40;

    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 200)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_faults_never_break_the_safety_invariants(int seed)
    {
        var run = new RandomRun(seed);
        try
        {
            run.Boot();
            for (var i = 0; i < Steps; i++)
            {
                run.Step();
                run.Sim.CheckConsistency();
            }

            run.RepairAll();
            run.Sim.RunFor(TimeSpan.FromSeconds(90));
            run.Sim.CheckConsistency();
        }
        catch (InvariantViolationException ex)
        {
            Assert.Fail($"seed {seed}: {ex.Message}\n--- steps ---\n{run.Steps}");
        }

        Assert.Empty(run.Sim.Violations);
    }
}
