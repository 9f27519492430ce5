using System.Diagnostics;
using Palisade.Lab;
using Xunit;
using Xunit.Abstractions;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

public sealed class LabPartitionTests(ThreeNodeLab fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeLab>
{
    private readonly LabController lab = fixture.Lab;

    [Fact]
    public async Task CutInterconnectIsolatesTheNodeAndHealRejoins()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        var clock = Stopwatch.StartNew();
        await lab.CutAsync("n1", allLinks: false, ct);

        var n1 = (await lab.StatusAsync(ct)).Nodes[0];
        Assert.Equal(("n1", false, true, "on"), (n1.Name, n1.InterconnectUp, n1.AdminUp, n1.Power));
        await WaitForQuorumAsync(lab, "n1", members: 1, quorate: false, ct);
        await WaitForQuorumAsync(lab, "n2", members: 2, quorate: true, ct);
        await WaitForQuorumAsync(lab, "n3", members: 2, quorate: true, ct);
        var splitSeen = clock.Elapsed;

        clock.Restart();
        await lab.HealAsync("n1", ct);
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            await WaitForQuorumAsync(lab, node, members: 3, quorate: true, ct);
        }

        output.WriteLine($"cut -> partition seen everywhere after {splitSeen.TotalMilliseconds:0} ms; heal -> 3 members after {clock.Elapsed.TotalMilliseconds:0} ms");
        Assert.All((await lab.StatusAsync(ct)).Nodes, n => Assert.True(n.InterconnectUp && n.AdminUp, n.Name));
    }

    [Fact]
    public async Task CutAllTakesTheAdminLinkDownTooAndHealRestoresBoth()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        await lab.CutAsync("n3", allLinks: true, ct);
        var cut = (await lab.StatusAsync(ct)).Nodes.Single(n => n.Name == "n3");
        Assert.False(cut.InterconnectUp);
        Assert.False(cut.AdminUp);
        Assert.Equal("on", cut.Power); // the BMC sits on its own port: a cut node stays manageable

        await lab.HealAsync("n3", ct);
        var healed = (await lab.StatusAsync(ct)).Nodes.Single(n => n.Name == "n3");
        Assert.True(healed.InterconnectUp);
        Assert.True(healed.AdminUp);
        await WaitForQuorumAsync(lab, "n3", members: 3, quorate: true, ct);
    }
}
