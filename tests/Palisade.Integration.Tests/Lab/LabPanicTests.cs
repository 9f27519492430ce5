using System.Diagnostics;
using Palisade.Lab;
using Xunit;
using Xunit.Abstractions;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

/// <summary><c>lab panic</c>: a crashed node whose crash-dump kernel announces itself with the fence_kdump protocol.</summary>
public sealed class LabPanicTests(ThreeNodeLab fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeLab>
{
    private readonly LabController lab = fixture.Lab;

    [Fact]
    public async Task APanickedNodeIsDeadButPoweredAndAnnouncesItselfUntilPoweredOff()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        var ledgerBefore = LedgerLines(lab).Count;
        var before = NamespacePids("pal-n1");
        Assert.NotEmpty(before);

        await lab.PanicAsync("n1", null, ct);

        // Every process of the node is gone; only the dump kernel's announcer runs there now.
        Assert.DoesNotContain(before, IsAlive);
        var announcer = Assert.Single(NamespacePids("pal-n1"));
        Assert.Contains("kdump-announce", File.ReadAllText($"/proc/{announcer}/cmdline"));
        Assert.Matches(@"^\d{13} n1 panic$", Assert.Single(LedgerLines(lab).Skip(ledgerBefore)));

        // Both BMCs still report the power on; the NICs keep the node's addresses.
        Assert.Equal("on", IpmitoolPower(lab, "198.18.0.201"));
        Assert.Equal("On", (await RedfishClient.GetAsync(lab, "n3", "198.18.0.201", LabBmcAccess.RedfishSystemPath, ct)).PowerState);
        var n1 = (await lab.StatusAsync(ct)).Nodes[0];
        Assert.Equal(("on", true), (n1.Power, n1.Panicked));
        var addresses = Host("ip", "-n", "pal-n1", "-4", "-o", "addr", "show").Stdout;
        Assert.Contains("inet 198.18.0.11/25", addresses);
        Assert.Contains("inet 198.18.0.141/25", addresses);
        await Assert.ThrowsAsync<LabException>(() => lab.ExecCaptureAsync("n1", ["/bin/true"], TimeSpan.FromSeconds(5), ct));

        // n2 hears the announcement from n1's interconnect and admin addresses within a few seconds.
        var clock = Stopwatch.StartNew();
        var heard = await KdumpListener.ListenAsync(lab, "n2", TimeSpan.FromSeconds(5), ct, "198.18.0.11", "198.18.0.141");
        output.WriteLine($"n2 heard within {clock.ElapsedMilliseconds} ms: {string.Join("; ", heard)}");
        Assert.Contains($"198.18.0.11 {KdumpListener.MessageHex}", heard);
        Assert.Contains($"198.18.0.141 {KdumpListener.MessageHex}", heard);
        Assert.All(heard, line => Assert.EndsWith(" " + KdumpListener.MessageHex, line));

        // Power off ends the announcements with the rest of the node.
        Assert.Equal("off", await lab.PowerAsync("n1", "off", ct));
        Assert.False(IsAlive(announcer));
        Assert.Empty(NamespacePids("pal-n1"));
        Assert.Empty(await KdumpListener.ListenAsync(lab, "n2", TimeSpan.FromSeconds(3), ct));
        Assert.False((await lab.StatusAsync(ct)).Nodes[0].Panicked);

        // And power on boots it normally.
        Assert.Equal("on", await lab.PowerAsync("n1", "on", ct));
        await WaitForQuorumAsync(lab, "n1", members: 3, quorate: true, ct);
        await WaitForQuorumAsync(lab, "n2", members: 3, quorate: true, ct);
        Assert.Equal(["panic", "power-off", "power-on"], LedgerLines(lab).Skip(ledgerBefore).Select(l => l.Split(' ')[2]));
    }

    [Fact]
    public async Task ThePanicIntervalIsTheOneAsked()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        await WaitForQuorumAsync(lab, "n3", members: 3, quorate: true, ct);
        try
        {
            await lab.PanicAsync("n3", TimeSpan.FromMilliseconds(200), ct);

            // Within 2 s, at 0.2 s intervals, n1 hears ~10 announcements from n3's interconnect address (1 s: ~2).
            var heard = await KdumpListener.ListenAsync(lab, "n1", TimeSpan.FromSeconds(2), ct);
            var fromInterconnect = heard.Count(l => l == $"198.18.0.13 {KdumpListener.MessageHex}");
            output.WriteLine($"n1 heard {fromInterconnect} announcements from 198.18.0.13 in 2 s");
            Assert.InRange(fromInterconnect, 6, 12);

            var again = await Assert.ThrowsAsync<LabException>(() => lab.PanicAsync("n3", null, ct));
            Assert.Contains("already panicked", again.Message);
        }
        finally
        {
            await lab.PowerAsync("n3", "reset", CancellationToken.None);
        }

        Assert.False((await lab.StatusAsync(ct)).Nodes[2].Panicked);
        await WaitForQuorumAsync(lab, "n3", members: 3, quorate: true, ct);
    }

    [Fact]
    public async Task APoweredOffNodeCannotPanic()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        await WaitForQuorumAsync(lab, "n2", members: 3, quorate: true, ct);
        Assert.Equal("off", await lab.PowerAsync("n2", "off", ct));
        try
        {
            var error = await Assert.ThrowsAsync<LabException>(() => lab.PanicAsync("n2", null, ct));
            Assert.Contains("is off", error.Message);
            Assert.Empty(NamespacePids("pal-n2"));
            Assert.Equal("off", IpmitoolPower(lab, "198.18.0.202"));
        }
        finally
        {
            await lab.PowerAsync("n2", "on", CancellationToken.None);
        }

        await WaitForQuorumAsync(lab, "n2", members: 3, quorate: true, ct);
    }
}
