using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Palisade.Integration.Tests.Failover;
using Palisade.Lab;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Install;

/// <summary>
/// A 3-node lab cluster run from the palisade package: the package is unpacked (dpkg-deb -x, never installed on this
/// host) into a directory the nodes see; every node starts the package's /usr/sbin/palisaded, the status comes from the
/// package's palisade and sdtool, the group's service from the package's examples, the nodes' configuration from
/// /etc/palisade. Then a palisaded started as systemd
/// would (a notification socket, stderr on the journal) says READY and STOPPING and logs in the journal's form, and
/// the group fails over when its node is powered off.
/// </summary>
[Collection("lab")]
public sealed class PackagedClusterTests
{
    private const string Root = "/var/lib/palisade-package-test";

    [Fact]
    public async Task A_cluster_runs_from_the_package_and_fails_over()
    {
        var debs = await DebianPackages.GetAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }

        Directory.CreateDirectory(Root);
        try
        {
            var root = Path.Combine(Root, "root");
            await DebianPackages.ExtractAsync(debs.Palisade, root);
            var palisaded = Path.Combine(root, "usr", "sbin", "palisaded");
            var palisade = Path.Combine(root, "usr", "bin", "palisade");
            // The demo cluster, its service run from the package's examples.
            var examples = Path.Combine(root, "usr", "share", "palisade", "examples");
            var demo = await File.ReadAllTextAsync(Path.Combine(examples, "demo.yaml"));
            Assert.Contains("/opt/palisade/share/examples/", demo, StringComparison.Ordinal);
            var config = Path.Combine(Root, "demo.yaml");
            await File.WriteAllTextAsync(config, demo.Replace("/opt/palisade/share/examples/", examples + "/", StringComparison.Ordinal));
            await using var c = await ClusterLab.UpWithAsync(config, new LabOptions { DaemonPath = palisaded }, palisade);

            var binary = Path.Combine(root, "usr", "lib", "palisade", "palisaded");
            foreach (var node in c.Nodes)
            {
                var pid = await c.PidInNodeAsync(node, "palisaded");
                Assert.Equal(binary, new FileInfo($"/proc/{pid}/exe").LinkTarget);
                Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} ", c.NodeLog(node)); // not under systemd: plain lines
                Assert.Contains($"palisaded ready: {node} joined the cluster's process group, control socket listening (not under systemd)",
                    c.NodeLog(node), StringComparison.Ordinal);
            }

            var status = await c.Lab.ExecCaptureAsync("n2", [palisade, "status"], TimeSpan.FromSeconds(30), c.Ct);
            Assert.True(status.ExitCode == 0, status.Stderr);
            Assert.Contains("web", status.Stdout, StringComparison.Ordinal);
            var sd = await c.Lab.ExecCaptureAsync("n2", [Path.Combine(root, "usr", "sbin", "sdtool"), "-s"], TimeSpan.FromSeconds(30), c.Ct);
            Assert.True(sd.ExitCode == 0, sd.Stderr);
            Assert.Contains("n1", sd.Stdout, StringComparison.Ordinal);

            await RestartAsSystemdWouldAsync(c, "n3", palisaded);

            await c.Lab.PowerAsync("n1", "off", c.Ct);
            var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2") && ClusterLab.NodeIs(s, "n1", "Fenced"),
                "n1 Fenced and web Online on n2");
            Assert.Contains("fenced by n2", ClusterProbe.Node(s, "n1")!.Reason, StringComparison.Ordinal);
            c.AssertNoDoubleActivation();
        }
        finally
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    /// <summary>
    /// Stops palisaded on <paramref name="node"/> and starts it again with systemd's environment: NOTIFY_SOCKET (a
    /// datagram socket this test reads) and JOURNAL_STREAM. It must notify READY=1 once it has joined and answers on
    /// its control socket, and log without timestamps behind a priority prefix.
    /// </summary>
    private static async Task RestartAsSystemdWouldAsync(ClusterLab c, string node, string palisaded)
    {
        await c.StopDaemonAsync(node);
        var socketPath = Path.Combine(Root, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        File.SetUnixFileMode(socketPath, (UnixFileMode)0x1ff);
        var log = "/var/log/palisade/palisaded.journal";
        var start = await c.Lab.ExecCaptureAsync(node, ["/bin/sh", "-c",
            $"NOTIFY_SOCKET={socketPath} JOURNAL_STREAM=8:4242 setsid {palisaded} --config /etc/palisade/palisade.yaml >>{log} 2>&1 </dev/null &"],
            TimeSpan.FromSeconds(10), c.Ct);
        Assert.Equal(0, start.ExitCode);

        var ready = await ReceiveAsync(notify, "READY=1 from the restarted palisaded");
        Assert.Equal("READY=1", ready);
        var probe = await c.Lab.ExecCaptureAsync(node, ["/usr/bin/test", "-S", "/run/palisade/palisaded.sock"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.Equal(0, probe.ExitCode); // the control socket listened before READY
        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, node, "Online"), $"{node} Online again");

        var journalLog = File.ReadAllText(Path.Combine(c.Lab.StatePath, "nodes", node, "log-palisade", "palisaded.journal"));
        Assert.Contains("<6>palisade", journalLog, StringComparison.Ordinal);
        Assert.Contains("palisaded ready: " + node + " joined the cluster's process group, control socket listening (told systemd)", journalLog, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?m)^\d{4}-\d\d-\d\d ", journalLog);

        // SIGTERM: STOPPING=1 at once, then a clean leave; started again the plain way, as the lab's nodes do.
        var pid = (await c.PidInNodeAsync(node, "palisaded")).ToString(CultureInfo.InvariantCulture);
        await c.StopDaemonAsync(node);
        Assert.Equal("STOPPING=1", await ReceiveAsync(notify, $"STOPPING=1 from palisaded {pid}"));
        var restart = await c.Lab.ExecCaptureAsync(node, ["/bin/sh", "-c",
            $"setsid {palisaded} --config /etc/palisade/palisade.yaml >>/var/log/palisade/palisaded.log 2>&1 </dev/null &"], TimeSpan.FromSeconds(10), c.Ct);
        Assert.Equal(0, restart.ExitCode);
        await c.WaitAsync("n2", s => ClusterLab.NodeIs(s, node, "Online"), $"{node} Online after its plain restart");
    }

    private static async Task<string> ReceiveAsync(Socket socket, string what)
    {
        var buffer = new byte[4096];
        using var limit = new CancellationTokenSource(ClusterLab.Limit);
        try
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            return Encoding.UTF8.GetString(buffer, 0, n).Trim();
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} within {ClusterLab.Limit}");
        }
    }
}
