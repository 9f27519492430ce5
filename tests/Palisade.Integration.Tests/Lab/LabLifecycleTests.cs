using Palisade.Configuration;
using Palisade.Lab;
using Xunit;
using Xunit.Abstractions;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class LabLifecycleTests(ThreeNodeLab fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeLab>
{
    private readonly LabController lab = fixture.Lab;

    [Fact]
    public async Task EveryNodeSeesThreeMembersAndIsQuorate()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        output.WriteLine($"lab up took {fixture.UpTime.TotalMilliseconds:0} ms");
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            var quorum = await QuorumAsync(lab, node, cts.Token);
            Assert.Equal(3, quorum.Members);
            Assert.True(quorum.Quorate, quorum.Raw);
        }
    }

    [Fact]
    public async Task StatusShowsEveryNodePoweredOnWithTheLabAddresses()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var status = await lab.StatusAsync(cts.Token);

        Assert.Equal("lab", status.Cluster);
        Assert.Equal(
            [
                new LabNodeStatus("n1", 1, "on", "198.18.0.11", "198.18.0.141", "198.18.0.201", true, true),
                new LabNodeStatus("n2", 2, "on", "198.18.0.12", "198.18.0.142", "198.18.0.202", true, true),
                new LabNodeStatus("n3", 3, "on", "198.18.0.13", "198.18.0.143", "198.18.0.203", true, true),
            ],
            status.Nodes);
        Assert.Equal(status, fixture.Status);
        Assert.Equal(["pal-bmc", "pal-n1", "pal-n2", "pal-n3", "pal-sw"], LabNamespaces());
    }

    [Fact]
    public async Task NodesHaveTheirOwnHostnameAddressesAndRun()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var hostname = await lab.ExecCaptureAsync("n2", ["/usr/bin/hostname"], TimeSpan.FromSeconds(10), cts.Token);
        Assert.Equal("n2\n", hostname.Stdout);

        var addresses = await lab.ExecCaptureAsync("n2", ["/usr/sbin/ip", "-4", "-o", "addr", "show"], TimeSpan.FromSeconds(10), cts.Token);
        Assert.Contains("ic0    inet 198.18.0.12/25", addresses.Stdout);
        Assert.Contains("adm0    inet 198.18.0.142/25", addresses.Stdout);

        // /run is the node's own tmpfs: it holds the directories node-boot made, not the host's /run/netns.
        var run = await lab.ExecCaptureAsync("n2", ["/usr/bin/ls", "/run"], TimeSpan.FromSeconds(10), cts.Token);
        Assert.Equal(["corosync", "palisade"], run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order());

        var conf = await lab.ExecCaptureAsync("n2", ["/usr/bin/cat", "/etc/corosync/corosync.conf"], TimeSpan.FromSeconds(10), cts.Token);
        Assert.Contains("ring0_addr: 198.18.0.12", conf.Stdout);

        var exit = await lab.ExecCaptureAsync("n2", ["/bin/sh", "-c", "echo oops >&2; exit 7"], TimeSpan.FromSeconds(10), cts.Token);
        Assert.Equal(new ExecResult(7, "", "oops\n"), exit);
    }

    [Fact]
    public void WrittenConfigIsTheGeneratedClusterWithOneIpmiAgentPerNode()
    {
        var loaded = ConfigLoader.LoadFile(Path.Combine(lab.StatePath, "palisade.yaml"));
        Assert.True(loaded.Ok, string.Join('\n', loaded.Errors));
        var config = loaded.Config!;
        Assert.Equal("lab", config.Name);
        Assert.Equal(1000, config.Totem.TokenMs);
        Assert.Equal(0, config.Totem.TokenCoefficientMs);
        Assert.Empty(config.Groups);
        Assert.Equal(["n1", "n2", "n3"], config.Nodes.Select(n => n.Name));
        var n2 = config.FindNode("n2")!;
        Assert.Equal(2u, n2.Id);
        Assert.Equal(["198.18.0.12"], n2.Interconnect);
        Assert.Equal("198.18.0.142", n2.Admin);
        Assert.Equal(1, n2.Weight);
        var agent = Assert.Single(n2.ShutdownAgents);
        Assert.Equal("ipmi", agent.Type);
        Assert.Equal(TimeSpan.FromSeconds(10), agent.Timeout);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["address"] = "198.18.0.202",
                ["cipher"] = "3",
                ["password_file"] = "/etc/palisade/bmc.pass",
                ["port"] = "623",
                ["user"] = "admin",
            },
            agent.Parameters.ToDictionary());

        var password = File.ReadAllText(Path.Combine(lab.StatePath, "bmc.pass"));
        Assert.Matches("^[A-Za-z0-9]{16}$", password);
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            var etc = Path.Combine(lab.StatePath, "nodes", node, "etc-palisade");
            Assert.Equal(password, File.ReadAllText(Path.Combine(etc, "bmc.pass")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(etc, "bmc.pass")));
            Assert.Equal(File.ReadAllText(Path.Combine(lab.StatePath, "palisade.yaml")), File.ReadAllText(Path.Combine(etc, "palisade.yaml")));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(lab.StatePath, "bmc.pass")));
    }

    [Fact]
    public async Task SecondUpIsRefusedAndLeavesTheLabAlone()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var error = await Assert.ThrowsAsync<LabException>(() => lab.UpAsync(2, null, cts.Token));
        Assert.Contains("run 'palisade lab down' first", error.Message);

        var status = await lab.StatusAsync(cts.Token);
        Assert.Equal(["on", "on", "on"], status.Nodes.Select(n => n.Power));
    }

    [Fact]
    public async Task UnknownNodeIsAUsageError()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var error = await Assert.ThrowsAsync<LabUsageException>(
            () => lab.ExecCaptureAsync("n9", ["/bin/true"], TimeSpan.FromSeconds(5), cts.Token));
        Assert.Equal("unknown node 'n9'; the lab has n1, n2, n3", error.Message);
        await Assert.ThrowsAsync<LabUsageException>(() => lab.PowerAsync("n1", "sideways", cts.Token));
    }
}
