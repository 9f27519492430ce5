using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Lab;
using Palisade.Scenarios.Chaos;
using Xunit;
using Xunit.Abstractions;

namespace Palisade.Integration.Tests.Safety;

/// <summary>Random fault schedules against the real daemons (the same runner as <c>palisade lab chaos</c>).</summary>
[Collection("lab")]
public sealed class ChaosTests(ITestOutputHelper log)
{
    /// <summary>
    /// Five schedules from seed 323869 (PALISADE_CHAOS_SEED picks others; `palisade lab chaos` takes fresh ones),
    /// printed with the result.
    /// </summary>
    [Fact]
    public async Task FiveRandomFaultSchedulesKeepEveryInvariant()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PALISADE_CHAOS_SEED"), out var s) ? s : 323869;
        using var output = new StringWriter();
        var lab = new LabController(new LabOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        IReadOnlyList<ChaosRunResult> results;
        try
        {
            results = await new ChaosRunner(lab, output).RunAsync(Path.Combine(AppContext.BaseDirectory, "Failover/demo.yaml"), 5, seed, CancellationToken.None);
        }
        finally
        {
            log.WriteLine(output.ToString());
            Console.WriteLine($"chaos seed {seed}:\n{output}");
        }

        Assert.Equal(5, results.Count);
        var failed = results.Where(r => r.Violations.Count > 0).ToList();
        Assert.True(failed.Count == 0, $"chaos from seed {seed}: failing seeds {string.Join(", ", failed.Select(r => r.Seed))}\n{output}");
    }

    [Fact]
    public void ASeedAlwaysGivesTheSameSchedule()
    {
        string[] nodes = ["n1", "n2", "n3"];
        Assert.Equal(ChaosSchedule.For(42, nodes), ChaosSchedule.For(42, nodes));
        Assert.NotEqual(ChaosSchedule.For(42, nodes), ChaosSchedule.For(43, nodes));
        Assert.All(Enumerable.Range(0, 200).SelectMany(seed => ChaosSchedule.For(seed, nodes)), step =>
        {
            Assert.Contains(step.Node, nodes);
            Assert.InRange(step.GapAfter, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(6));
        });
    }
}
