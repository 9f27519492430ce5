using System.Diagnostics;
using Palisade.Lab;
using Xunit;
using Xunit.Abstractions;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

public sealed class LabPowerTests(ThreeNodeLab fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeLab>
{
    private readonly LabController lab = fixture.Lab;

    [Fact]
    public async Task PowerOffThroughTheBmcKillsTheNodeAndPowerOnRejoins()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        var ledgerBefore = LedgerLines(lab).Count;
        Assert.NotEmpty(NamespacePids("pal-n2"));

        var clock = Stopwatch.StartNew();
        Assert.Equal("off", await lab.PowerAsync("n2", "off", ct));
        var offTook = clock.Elapsed;

        Assert.Equal("off", IpmitoolPower(lab, "198.18.0.202"));
        Assert.Empty(NamespacePids("pal-n2"));
        var offLine = Assert.Single(LedgerLines(lab).Skip(ledgerBefore));
        Assert.Matches(@"^\d{13} n2 power-off$", offLine);
        await Assert.ThrowsAsync<LabException>(() => lab.ExecCaptureAsync("n2", ["/bin/true"], TimeSpan.FromSeconds(5), ct));

        await WaitForQuorumAsync(lab, "n1", members: 2, quorate: true, ct);
        var leaveSeen = clock.Elapsed;
        await WaitForQuorumAsync(lab, "n3", members: 2, quorate: true, ct);
        Assert.Equal(["on", "off", "on"], (await lab.StatusAsync(ct)).Nodes.Select(n => n.Power));

        clock.Restart();
        Assert.Equal("on", await lab.PowerAsync("n2", "on", ct));
        var onTook = clock.Elapsed;
        Assert.Equal("on", IpmitoolPower(lab, "198.18.0.202"));
        await WaitForQuorumAsync(lab, "n2", members: 3, quorate: true, ct);
        var rejoined = clock.Elapsed;
        await WaitForQuorumAsync(lab, "n1", members: 3, quorate: true, ct);
        await WaitForQuorumAsync(lab, "n3", members: 3, quorate: true, ct);

        var newLines = LedgerLines(lab).Skip(ledgerBefore).ToList();
        Assert.Equal(2, newLines.Count);
        Assert.Matches(@"^\d{13} n2 power-on$", newLines[1]);
        Assert.True(long.Parse(newLines[1].Split(' ')[0]) >= long.Parse(newLines[0].Split(' ')[0]));

        output.WriteLine($"power off via BMC: {offTook.TotalMilliseconds:0} ms; survivors saw n2 leave {leaveSeen.TotalMilliseconds:0} ms after the off command");
        output.WriteLine($"power on via BMC: {onTook.TotalMilliseconds:0} ms; n2 back in a 3-node membership after {rejoined.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task PowerOnOfARunningNodeChangesNothing()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        await WaitForQuorumAsync(lab, "n3", members: 3, quorate: true, cts.Token);
        var ledgerBefore = LedgerLines(lab).Count;
        var pidsBefore = NamespacePids("pal-n3");

        Assert.Equal("on", await lab.PowerAsync("n3", "on", cts.Token));
        Assert.Equal("on", await lab.PowerAsync("n3", "status", cts.Token));

        Assert.Equal(pidsBefore, NamespacePids("pal-n3"));
        Assert.Equal(ledgerBefore, LedgerLines(lab).Count);
    }
}
