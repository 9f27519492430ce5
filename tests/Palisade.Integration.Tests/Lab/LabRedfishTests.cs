using Palisade.Lab;
using Xunit;
using Xunit.Abstractions;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

/// <summary>The Redfish BMC of each node, called from inside another node the way a shutdown agent would.</summary>
public sealed class LabRedfishTests(ThreeNodeLab fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeLab>
{
    private readonly LabController lab = fixture.Lab;

    [Fact]
    public async Task ForceOffAndOnThroughRedfishReallySwitchTheNodeAndIpmiAgrees()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        var system = await RedfishClient.GetAsync(lab, "n1", "198.18.0.202", LabBmcAccess.RedfishSystemPath, ct);
        Assert.Equal("On", system.PowerState);
        Assert.Contains("\"ResetType@Redfish.AllowableValues\":[\"On\",\"ForceOff\",\"ForceRestart\",\"GracefulShutdown\",\"Nmi\"]", system.Body);
        Assert.Contains("\"target\":\"/redfish/v1/Systems/1/Actions/ComputerSystem.Reset\"", system.Body);
        var ledgerBefore = LedgerLines(lab).Count;
        var n2Pids = NamespacePids("pal-n2");
        Assert.NotEmpty(n2Pids);

        var off = await RedfishClient.ResetAsync(lab, "n1", "198.18.0.202", "ForceOff", ct);

        Assert.Equal(204, off.Status);
        Assert.DoesNotContain(n2Pids, IsAlive);
        Assert.Empty(NamespacePids("pal-n2"));
        Assert.Equal("off", IpmitoolPower(lab, "198.18.0.202"));
        Assert.Equal("Off", (await RedfishClient.GetAsync(lab, "n1", "198.18.0.202", LabBmcAccess.RedfishSystemPath, ct)).PowerState);
        Assert.Equal(["on", "off", "on"], (await lab.StatusAsync(ct)).Nodes.Select(n => n.Power));
        Assert.Matches(@"^\d{13} n2 power-off$", Assert.Single(LedgerLines(lab).Skip(ledgerBefore)));

        var on = await RedfishClient.ResetAsync(lab, "n1", "198.18.0.202", "On", ct);

        Assert.Equal(204, on.Status);
        Assert.Equal("on", IpmitoolPower(lab, "198.18.0.202"));
        Assert.Equal("On", (await RedfishClient.GetAsync(lab, "n3", "198.18.0.202", LabBmcAccess.RedfishSystemPath, ct)).PowerState);
        Assert.Matches(@"^\d{13} n2 power-on$", LedgerLines(lab).Skip(ledgerBefore).Last());
        await WaitForQuorumAsync(lab, "n2", members: 3, quorate: true, ct);
        await WaitForQuorumAsync(lab, "n1", members: 3, quorate: true, ct);
    }

    [Fact]
    public async Task WrongPasswordGets401AndTheNodeStaysOn()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var reply = await RedfishClient.GetAsync(lab, "n1", "198.18.0.203", LabBmcAccess.RedfishSystemPath, cts.Token, rightPassword: false);

        Assert.Equal(401, reply.Status);
        Assert.Null(reply.PowerState);
        Assert.Contains("Base.1.8.NoValidSession", reply.Body);
        Assert.Equal("on", IpmitoolPower(lab, "198.18.0.203"));
    }

    [Fact]
    public async Task WithoutTheLabCaTheCertificateIsNotTrusted()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var reply = await RedfishClient.GetAsync(lab, "n2", "198.18.0.201", LabBmcAccess.RedfishSystemPath, cts.Token, verify: false);

        Assert.Equal(60, reply.CurlExit); // CURLE_PEER_FAILED_VERIFICATION
        Assert.Contains("certificate", reply.Stderr);
        output.WriteLine(reply.ToString());

        // The same request verified against the lab CA on the node works: the certificate names the BMC's IP address.
        Assert.Equal("On", (await RedfishClient.GetAsync(lab, "n2", "198.18.0.201", LabBmcAccess.RedfishSystemPath, cts.Token)).PowerState);
    }

    [Fact]
    public async Task TheServiceRootIsOpenAndLeadsToTheOneSystem()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var root = await RedfishClient.GetAsync(lab, "n3", "198.18.0.201", "/redfish/v1", cts.Token, rightPassword: false);
        Assert.Equal(200, root.Status);
        Assert.Contains("\"Systems\":{\"@odata.id\":\"/redfish/v1/Systems\"}", root.Body);

        var systems = await RedfishClient.GetAsync(lab, "n3", "198.18.0.201", "/redfish/v1/Systems", cts.Token);
        Assert.Equal(200, systems.Status);
        Assert.Contains("\"Members\":[{\"@odata.id\":\"/redfish/v1/Systems/1\"}]", systems.Body);

        Assert.Equal(404, (await RedfishClient.GetAsync(lab, "n3", "198.18.0.201", "/redfish/v1/Systems/2", cts.Token)).Status);
    }

    [Fact]
    public async Task AnUnknownResetTypeIsRefusedAndChangesNothing()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ledgerBefore = LedgerLines(lab).Count;

        var reply = await RedfishClient.ResetAsync(lab, "n2", "198.18.0.203", "PowerCycleTwice", cts.Token);

        Assert.Equal(400, reply.Status);
        Assert.Contains("Base.1.8.ActionParameterValueNotInList", reply.Body);
        Assert.Equal("on", IpmitoolPower(lab, "198.18.0.203"));
        Assert.Equal(ledgerBefore, LedgerLines(lab).Count);
    }

    [Fact]
    public void KeysArePrivateAndEveryNodeHasTheLabCa()
    {
        var ca = File.ReadAllText(lab.CaCertificatePath);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", ca);
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            var key = Path.Combine(lab.StatePath, "bmc", node, "redfish.key");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
            Assert.Equal(ca, File.ReadAllText(Path.Combine(lab.StatePath, "nodes", node, "etc-palisade", "lab-ca.pem")));
        }
    }
}
