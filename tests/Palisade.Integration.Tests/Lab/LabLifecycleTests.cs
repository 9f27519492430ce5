using System.Text.Json;
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
        LabNodeStatus[] expected =
        [
            new("n1", 1, "on", "198.18.0.11", "198.18.0.141", "198.18.0.201", true, true, "up", "up", false),
            new("n2", 2, "on", "198.18.0.12", "198.18.0.142", "198.18.0.202", true, true, "up", "up", false),
            new("n3", 3, "on", "198.18.0.13", "198.18.0.143", "198.18.0.203", true, true, "up", "up", false),
        ];
        Assert.Equal(expected, status.Nodes);
        Assert.Equal(expected, fixture.Status.Nodes);
        Assert.Equal("lab", fixture.Status.Cluster);
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

        // /run is the node's own tmpfs: it holds what node-boot and corosync made, not the host's /run/netns.
        var runType = await lab.ExecCaptureAsync("n2", ["/usr/bin/findmnt", "-n", "-o", "FSTYPE", "/run"], TimeSpan.FromSeconds(10), cts.Token);
        Assert.Equal("tmpfs\n", runType.Stdout);
        var run = (await lab.ExecCaptureAsync("n2", ["/usr/bin/ls", "/run"], TimeSpan.FromSeconds(10), cts.Token))
            .Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("corosync", run);
        Assert.Contains("palisade", run);
        Assert.DoesNotContain("netns", run);

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
        Assert.Equal(["198.18.0.12"], n2.Interconnect.ToArray());
        Assert.Equal("198.18.0.142", n2.Admin);
        Assert.Equal(1, n2.Weight);
        var agent = Assert.Single(n2.ShutdownAgents);
        Assert.Equal("ipmi", agent.Type);
        Assert.Equal(TimeSpan.FromSeconds(10), agent.Timeout);
        // The loader adds the catalog's defaults (privilege, method); the lab's own values must be there as given.
        Assert.Equal("198.18.0.202", agent.Parameters["address"]);
        Assert.Equal("623", agent.Parameters["port"]);
        Assert.Equal("admin", agent.Parameters["user"]);
        Assert.Equal("/etc/palisade/bmc.pass", agent.Parameters["password_file"]);
        Assert.Equal("3", agent.Parameters["cipher"]);
        Assert.False(agent.Parameters.ContainsKey("password"));

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

    [Fact]
    public async Task CliShowsStatusAsJsonAndTableAndPassesExecExitCodes()
    {
        var (code, json, _) = await CliAsync("status", "--output", "json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal("lab", doc.RootElement.GetProperty("cluster").GetString());
        var n3 = doc.RootElement.GetProperty("nodes")[2];
        Assert.Equal(
            """{"name":"n3","id":3,"power":"on","interconnect":"198.18.0.13","admin":"198.18.0.143","bmc":"198.18.0.203","interconnectUp":true,"adminUp":true,"ipmi":"up","redfish":"up","panicked":false}""",
            JsonSerializer.Serialize(n3));

        var (tableCode, table, _) = await CliAsync("status");
        Assert.Equal(0, tableCode);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("cluster lab", lines[0]);
        Assert.Equal(
            ["NODE", "ID", "POWER", "INTERCONNECT", "ADMIN", "BMC", "IPMI", "REDFISH", "LINKS"],
            lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            ["n2", "2", "on", "198.18.0.12", "198.18.0.142", "198.18.0.202", "up", "up", "up"],
            lines[3].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(3, (await CliAsync("exec", "n1", "--", "/bin/sh", "-c", "exit 3")).Code);
        var unknown = await CliAsync("exec", "n7", "--", "/bin/true");
        Assert.Equal((2, "lab: unknown node 'n7'; the lab has n1, n2, n3\n"), (unknown.Code, unknown.Stderr));

        // The spare link pair for nic monitors, taken down and up inside n1 only.
        var down = await CliAsync("link", "n1", "mon0-peer", "down");
        Assert.True(down.Code == 0 && down.Stdout.Contains("n1: link mon0-peer down", StringComparison.Ordinal), $"{down.Code}: {down.Stdout}{down.Stderr}");
        var carrier = await lab.ExecCaptureAsync("n1", ["cat", "/sys/class/net/mon0/carrier"], TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.Equal("0", carrier.Stdout.Trim());
        Assert.Equal(0, (await CliAsync("link", "n1", "mon0-peer", "up")).Code);
        var noLink = await CliAsync("link", "n1", "eth9", "down");
        Assert.True(noLink.Code == 2 && noLink.Stderr.Contains("n1 has no link 'eth9'", StringComparison.Ordinal), $"{noLink.Code}: {noLink.Stderr}");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LabCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
