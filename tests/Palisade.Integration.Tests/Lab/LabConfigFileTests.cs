using Palisade.Configuration;
using Palisade.Lab;
using Xunit;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

/// <summary><c>lab up --config FILE</c>; each test takes down whatever it built.</summary>
public sealed class LabConfigFileTests : IAsyncLifetime, IDisposable
{
    private readonly LabController lab = NewController();
    private readonly string dir = Directory.CreateTempSubdirectory("palisade-lab-config-").FullName;

    public Task InitializeAsync() => lab.DownAsync(CancellationToken.None);

    public Task DisposeAsync() => lab.DownAsync(CancellationToken.None);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public async Task InvalidFileIsReportedWithPlacesAndCreatesNothing()
    {
        var path = Write("bad.yaml", """
            cluster:
              name: demo
              tokn: 1000
            nodes:
              - name: alpha
                id: 1
                interconnect: [198.18.0.11]
            groups: []
            """);
        using var cts = new CancellationTokenSource(TestLimit);

        var error = await Assert.ThrowsAsync<LabException>(() => lab.UpAsync(null, path, cts.Token));

        Assert.Contains($"{path}:3:3: cluster.tokn:", error.Message);
        Assert.Contains("nothing was created", error.Message);
        Assert.Empty(LabNamespaces());
        Assert.False(Directory.Exists(lab.StatePath));
    }

    [Fact]
    public async Task NodeNamesTheLabCannotUseAreRefusedBeforeAnythingIsCreated()
    {
        var path = Write("names.yaml", """
            cluster:
              name: demo
            nodes:
              - name: bmc
                id: 1
                interconnect: [10.9.0.1]
              - name: averyverylongname
                id: 2
                interconnect: [10.9.0.2]
            groups: []
            """);
        using var cts = new CancellationTokenSource(TestLimit);

        var error = await Assert.ThrowsAsync<LabException>(() => lab.UpAsync(null, path, cts.Token));

        Assert.Equal(
            "the config cannot run in the lab; nothing was created:\n"
            + $"{path}: node name 'bmc' is reserved by the lab\n"
            + $"{path}: node name 'averyverylongname' cannot be used in the lab: it needs 1-11 characters a-z, 0-9 or '-', starting with a letter",
            error.Message);
        Assert.Empty(LabNamespaces());
        Assert.False(Directory.Exists(lab.StatePath));
    }

    [Fact]
    public async Task FileKeepsNamesIdsWeightsAndAgentsButGetsTheLabAddresses()
    {
        var path = Write("demo.yaml", """
            cluster:
              name: demo
              token: 1000
              token_coefficient: 0
            nodes:
              - name: alpha
                id: 7
                interconnect: [10.9.0.1]
                admin: 10.9.1.1
                weight: 3
              - name: beta
                id: 9
                interconnect: [10.9.0.2]
                shutdown_agents:
                  - type: ipmi
                    address: 198.18.0.202
                    port: 623
                    user: admin
                    password_file: /etc/palisade/bmc.pass
                    cipher: 3
                    timeout: 5s
            groups: []
            """);
        using var cts = new CancellationTokenSource(TestLimit);

        var status = await lab.UpAsync(null, path, cts.Token);

        Assert.Equal("demo", status.Cluster);
        Assert.Equal(
            [
                new LabNodeStatus("alpha", 7, "on", "198.18.0.11", "198.18.0.141", "198.18.0.201", true, true, "up", "up", false),
                new LabNodeStatus("beta", 9, "on", "198.18.0.12", "198.18.0.142", "198.18.0.202", true, true, "up", "up", false),
            ],
            status.Nodes);
        var quorum = await QuorumAsync(lab, "beta", cts.Token);
        Assert.Equal((2, true), (quorum.Members, quorum.Quorate));

        var written = ConfigLoader.LoadFile(Path.Combine(lab.StatePath, "palisade.yaml"));
        Assert.True(written.Ok, string.Join('\n', written.Errors));
        var alpha = written.Config!.FindNode("alpha")!;
        var beta = written.Config.FindNode("beta")!;
        Assert.Equal((7u, 3, "198.18.0.11", "198.18.0.141"), (alpha.Id, alpha.Weight, alpha.Interconnect.Single(), alpha.Admin));
        Assert.Equal("198.18.0.201", Assert.Single(alpha.ShutdownAgents).Parameters["address"]);
        Assert.Equal(TimeSpan.FromSeconds(5), Assert.Single(beta.ShutdownAgents).Timeout);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
