using Palisade.Lab;
using Xunit;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

/// <summary><c>lab bmc NODE down|up</c>: both BMCs of a node vanish from the network and come back; the node runs on.</summary>
public sealed class LabBmcOutageTests(ThreeNodeLab fixture) : IClassFixture<ThreeNodeLab>
{
    private readonly LabController lab = fixture.Lab;

    [Fact]
    public async Task BmcDownSilencesIpmiAndRedfishWithoutTouchingThePower()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        var pids = NamespacePids("pal-n3");
        var ledgerBefore = LedgerLines(lab).Count;

        await lab.SetBmcAsync("n3", up: false, ct);
        try
        {
            var ipmi = IpmitoolStatus("198.18.0.203");
            Assert.NotEqual(0, ipmi.ExitCode);
            var redfish = await RedfishClient.GetAsync(lab, "n1", "198.18.0.203", LabBmcAccess.RedfishSystemPath, ct);
            Assert.NotEqual(0, redfish.CurlExit);
            Assert.Null(redfish.PowerState);

            var n3 = (await lab.StatusAsync(ct)).Nodes[2];
            Assert.Equal(("unknown", "down", "down"), (n3.Power, n3.Ipmi, n3.Redfish));
            var n2 = (await lab.StatusAsync(ct)).Nodes[1];
            Assert.Equal(("on", "up", "up"), (n2.Power, n2.Ipmi, n2.Redfish));

            // The node itself is untouched: same processes, still a member.
            Assert.Equal(pids, NamespacePids("pal-n3"));
            Assert.Equal(3, (await QuorumAsync(lab, "n3", ct)).Members);
        }
        finally
        {
            await lab.SetBmcAsync("n3", up: true, CancellationToken.None);
        }

        Assert.Equal("on", IpmitoolPower(lab, "198.18.0.203"));
        Assert.Equal("On", (await RedfishClient.GetAsync(lab, "n1", "198.18.0.203", LabBmcAccess.RedfishSystemPath, ct)).PowerState);
        var back = (await lab.StatusAsync(ct)).Nodes[2];
        Assert.Equal(("on", "up", "up"), (back.Power, back.Ipmi, back.Redfish));
        Assert.Equal(pids, NamespacePids("pal-n3"));
        Assert.Equal(ledgerBefore, LedgerLines(lab).Count);
    }

    [Fact]
    public async Task DownAndUpAreIdempotent()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        await lab.SetBmcAsync("n2", up: false, cts.Token);
        await lab.SetBmcAsync("n2", up: false, cts.Token);
        Assert.NotEqual(0, IpmitoolStatus("198.18.0.202").ExitCode);

        await lab.SetBmcAsync("n2", up: true, cts.Token);
        await lab.SetBmcAsync("n2", up: true, cts.Token);
        Assert.Equal("on", IpmitoolPower(lab, "198.18.0.202"));
    }

    private ExecResult IpmitoolStatus(string bmc) =>
        Host("ip", "netns", "exec", "pal-sw", "ipmitool", "-I", "lanplus", "-C", "3", "-N", "1", "-R", "1", "-H", bmc,
            "-p", "623", "-U", "admin", "-f", Path.Combine(lab.StatePath, "bmc.pass"), "chassis", "power", "status");
}
