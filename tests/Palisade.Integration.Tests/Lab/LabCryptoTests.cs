using System.Diagnostics;
using System.Security.Cryptography;
using Palisade.Lab;
using Xunit;
using Xunit.Abstractions;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

/// <summary>The lab's interconnect is encrypted with the cluster's authkey: a node holding another key cannot join.</summary>
public sealed class LabCryptoTests(ThreeNodeLab fixture, ITestOutputHelper output) : IClassFixture<ThreeNodeLab>
{
    /// <summary>Far beyond the ~1.4 s a node needs to rejoin (docs/lab.md): a joining n3 would have been seen.</summary>
    private static readonly TimeSpan NeverJoins = TimeSpan.FromSeconds(8);

    private readonly LabController lab = fixture.Lab;

    private string AuthkeyOf(string node) => Path.Combine(lab.StatePath, "nodes", node, "etc-corosync", "authkey");

    [Fact]
    public async Task EveryNodeRunsCorosyncWithCryptoAndTheSameRootOnlyKey()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;

        var conf = (await lab.ExecCaptureAsync("n1", ["/bin/cat", "/etc/corosync/corosync.conf"], TimeSpan.FromSeconds(5), ct)).Stdout;
        var key = (await lab.ExecCaptureAsync("n1", ["/usr/bin/stat", "-c", "%a %U %s", "/etc/corosync/authkey"], TimeSpan.FromSeconds(5), ct)).Stdout;

        Assert.Contains("    crypto_cipher: aes256\n    crypto_hash: sha256\n    keyfile: /etc/corosync/authkey\n", conf, StringComparison.Ordinal);
        Assert.Equal("400 root 256\n", key);
        Assert.Equal(File.ReadAllBytes(AuthkeyOf("n1")), File.ReadAllBytes(AuthkeyOf("n3")));
        await WaitForQuorumAsync(lab, "n1", members: 3, quorate: true, ct);
    }

    [Fact]
    public async Task ANodeWithAnotherKeyNeverJoinsWhileTheOthersStayFormed()
    {
        using var cts = new CancellationTokenSource(TestLimit + NeverJoins);
        var ct = cts.Token;
        await WaitForQuorumAsync(lab, "n1", members: 3, quorate: true, ct);
        var rightKey = File.ReadAllBytes(AuthkeyOf("n3"));
        try
        {
            Assert.Equal("off", await lab.PowerAsync("n3", "off", ct));
            await WaitForQuorumAsync(lab, "n1", members: 2, quorate: true, ct);
            File.WriteAllBytes(AuthkeyOf("n3"), RandomNumberGenerator.GetBytes(256));
            Assert.Equal("on", await lab.PowerAsync("n3", "on", ct));

            // n3's corosync runs, alone: it cannot decrypt the others, and they cannot decrypt it.
            await WaitForQuorumAsync(lab, "n3", members: 1, quorate: false, ct);
            var clock = Stopwatch.StartNew();
            var observations = 0;
            while (clock.Elapsed < NeverJoins)
            {
                var n1 = await QuorumAsync(lab, "n1", ct);
                var n2 = await QuorumAsync(lab, "n2", ct);
                Assert.True(n1 is { Members: 2, Quorate: true } && n2 is { Members: 2, Quorate: true }, $"n1 {n1}, n2 {n2} after {clock.Elapsed}");
                observations++;
            }

            output.WriteLine($"{observations} observations over {NeverJoins.TotalSeconds} s: n1 and n2 stayed at 2 members, quorate; n3 alone");
        }
        finally
        {
            await lab.PowerAsync("n3", "off", CancellationToken.None);
            File.WriteAllBytes(AuthkeyOf("n3"), rightKey);
            await lab.PowerAsync("n3", "on", CancellationToken.None);
        }

        // With the cluster's key back, n3 joins at once.
        await WaitForQuorumAsync(lab, "n1", members: 3, quorate: true, ct);
    }

    /// <summary>
    /// palisaded on a node with an admin address refuses to start without a usable authkey: its partition adverts
    /// would go out unsigned. corosync has its key in memory already, so the file can be taken away under it.
    /// </summary>
    [Theory]
    [InlineData("missing", "palisaded: /etc/corosync/authkey: cannot read the cluster authkey: Could not find file '/etc/corosync/authkey'")]
    [InlineData("short", "palisaded: /etc/corosync/authkey: 100 bytes, but a cluster key has at least 128 (make one with 'palisade config authkey')")]
    public async Task TheDaemonRefusesToStartWithoutAUsableAuthkey(string problem, string firstPart)
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var ct = cts.Token;
        await WaitForQuorumAsync(lab, "n2", members: 3, quorate: true, ct);
        var key = AuthkeyOf("n2");
        var rightKey = File.ReadAllBytes(key);
        try
        {
            File.Delete(key);
            if (problem == "short")
            {
                File.WriteAllBytes(key, new byte[100]);
            }

            var run = await lab.ExecCaptureAsync("n2",
                ["/usr/bin/timeout", "30", "/usr/local/sbin/palisaded", "--config", "/etc/palisade/palisade.yaml", "--state-dir", "/tmp/palisaded-authkey-test"],
                TimeSpan.FromSeconds(40), ct);

            // Log lines (opening corosync) share stderr, in any order with the refusal.
            output.WriteLine(run.Stderr);
            Assert.Equal(2, run.ExitCode);
            Assert.Equal($"{firstPart}; n2 has an admin address, so it signs partition adverts with this key, the same file on every node",
                Assert.Single(run.Stderr.Split('\n'), line => line.StartsWith("palisaded: ", StringComparison.Ordinal)));
        }
        finally
        {
            File.WriteAllBytes(key, rightKey);
            File.SetUnixFileMode(key, UnixFileMode.UserRead);
        }
    }
}
