using Palisade.Integration.Tests.Failover;
using Xunit;
using static Palisade.Integration.Tests.Shutdown.ShutdownConfigs;

namespace Palisade.Integration.Tests.Shutdown;

/// <summary>
/// <c>palisade sd</c> on a real lab, against golden outputs in Shutdown/Golden: the state table, the effective
/// configuration with secrets redacted, and a refused reconfiguration that leaves the running one untouched.
/// Set PALISADE_UPDATE_GOLDEN=1 to rewrite the golden files from a run (then read the diff).
/// </summary>
[Collection("lab")]
public sealed class SdCliTests
{
    /// <summary>Inline on n3's second agent: wrong for the BMC, and it must never be shown.</summary>
    private const string Secret = "Inline-Secret-7f3a";

    private static string Config() => Cluster("golden",
        [
            [Ipmi(1), Redfish(1)],
            [Ipmi(2), Redfish(2)],
            [Ipmi(3), $"{{type: redfish, address: {Bmc(3)}, user: admin, password: {Secret}, ca_file: /etc/palisade/lab-ca.pem, timeout: 5s}}"],
        ],
        weights: [2, 1, 1],
        priority: 3,
        shutdown: "{test_interval: 1h, partition_delay: 6s}");

    private static void AssertGolden(string name, string actual)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Shutdown", "Golden", name);
        if (Environment.GetEnvironmentVariable("PALISADE_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "Shutdown", "Golden", name);
            File.WriteAllText(source, actual);
            return;
        }

        Assert.Equal(File.ReadAllText(path), actual);
    }

    [Fact]
    public async Task StateTableConfigurationAndRefusedReconfigurationMatchTheirGoldenOutputs()
    {
        await using var c = await ClusterLab.UpYamlAsync(Config());

        // The first test cycle runs when the daemon starts; wait for it to finish on every path.
        var table = await c.WaitCliAsync("n1", ["sd", "-s"],
            s => !s.Contains("Testing", StringComparison.Ordinal) && !s.Contains("Init-ing", StringComparison.Ordinal)
                && s.Contains("n3            redfish  TestFailed", StringComparison.Ordinal),
            "the first test cycle on n1");
        AssertGolden("sd-s.txt", table);

        var config = await c.CliAsync("n1", "sd", "-C");
        Assert.Equal(0, config.ExitCode);
        AssertGolden("sd-C.txt", config.Stdout);

        await c.Lab.ExecCaptureAsync("n1", ["sh", "-c", "printf 'cluster: {name: golden}\\nnodes:\\n  - {name: n1, id: 1, interconnect: [198.18.0.11], wieght: 2}\\nshutdown: {test_interval: never}\\n' > /etc/palisade/bad.yaml"],
            TimeSpan.FromSeconds(10), c.Ct);
        var refused = await c.CliAsync("n1", "sd", "-r", "/etc/palisade/bad.yaml");
        Assert.Equal(1, refused.ExitCode);
        AssertGolden("sd-r-bad.txt", refused.Stderr);
        Assert.Equal(config.Stdout, (await c.CliAsync("n1", "sd", "-C")).Stdout);

        // A good file is taken: the new test interval shows in the effective configuration.
        await c.Lab.ExecCaptureAsync("n1", ["sh", "-c", "sed 's/test_interval: 1h/test_interval: 30m/' /etc/palisade/palisade.yaml > /etc/palisade/next.yaml"],
            TimeSpan.FromSeconds(10), c.Ct);
        var taken = await c.CliAsync("n1", "sd", "-r", "/etc/palisade/next.yaml");
        Assert.True(taken.ExitCode == 0, taken.Stderr);
        Assert.Contains("test_interval: 30m", (await c.CliAsync("n1", "sd", "-C")).Stdout, StringComparison.Ordinal);

        foreach (var node in c.Nodes)
        {
            Assert.DoesNotContain(Secret, c.NodeLog(node), StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, (await c.CliAsync(node, "sd", "-s", "--output", "json")).Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, (await c.CliAsync(node, "status", "--output", "json")).Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Secret, table + config.Stdout + refused.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StoppingTheShutdownDaemonHandsFencingToAnotherNodeAndDebugCanBeSwitched()
    {
        await using var c = await ClusterLab.UpYamlAsync(Cluster("sdstop", Same(3, i => [Ipmi(i)])));

        var stop = await c.CliAsync("n1", "sd", "-e");
        Assert.Equal(0, stop.ExitCode);
        Assert.Contains("this node fences nobody", stop.Stdout, StringComparison.Ordinal);
        var stopped = await c.WaitCliAsync("n1", ["sd", "-s"], s => s.Contains("STOPPED", StringComparison.Ordinal), "n1's daemon stopped");
        Assert.Matches(@"n2\s+ipmi\s+UnInitWorked\s+Unknown\s+Unknown\s+Unknown", stopped);
        Assert.Equal(0, (await c.CliAsync("n1", "sd", "-d", "on")).ExitCode);

        await c.Lab.PowerAsync("n3", "off", c.Ct);
        await c.WaitAsync("n1", s => ClusterLab.NodeIs(s, "n3", "Fenced"), "n3 fenced while n1's daemon is stopped");
        var history = ShutdownConfigs.History((await c.CliAsync("n1", "sd", "--history", "n3", "--output", "json")).Stdout);
        Assert.Equal("n2", Assert.Single(history).By);

        Assert.Equal(0, (await c.CliAsync("n1", "sd", "-b")).ExitCode);
        await c.WaitCliAsync("n1", ["sd", "-s"], s => s.Contains("running", StringComparison.Ordinal) && s.Contains("n2            ipmi   TestWorked", StringComparison.Ordinal),
            "n1's daemon running and tested again");
        Assert.Contains("debug output on", c.NodeLog("n1"), StringComparison.Ordinal);

        // The history outlives a restart of every palisaded: each node kept it on disk and brings it back.
        await c.Lab.PowerAsync("n3", "on", c.Ct);
        await c.WaitAsync("n1", s => s.Nodes.All(n => n.State == "Online"), "n3 back");
        await c.KillAllDaemonsAsync();
        await c.StartAllDaemonsAsync();
        await c.WaitAsync("n2", s => s.Phase == "Synced" && s.Nodes.All(n => n.State == "Online"), "a new cluster state after the restart");
        var kept = await c.WaitCliAsync("n3", ["sd", "--history", "n3", "--output", "json"], j => ShutdownConfigs.History(j).Count == 1, "the history back");
        Assert.Equal(history.Single(), ShutdownConfigs.History(kept).Single());
        c.AssertNoDoubleActivation();
    }
}
