using System.Diagnostics;
using Xunit.Sdk;

namespace Palisade.Corosync.Tests.Lab;

/// <summary>
/// One corosync in its own network namespace and a private mount namespace whose /etc/corosync, /run,
/// /var/lib/corosync, /var/log/corosync and /dev/shm belong to this node only.
/// </summary>
internal sealed class CorosyncNode : IDisposable
{
    private const string ReadyLine = "ready to provide service";

    private readonly Process _process;
    private readonly LineCollector<string> _stdout;
    private readonly LineCollector<string> _stderr;

    private CorosyncNode(int nodeId, string netns, Process process)
    {
        NodeId = nodeId;
        Namespace = netns;
        _process = process;
        Pid = process.Id;
        _stdout = new LineCollector<string>(process.StandardOutput, line => line);
        _stderr = new LineCollector<string>(process.StandardError, line => line);
    }

    public int NodeId { get; }

    public string Namespace { get; }

    /// <summary>corosync's own pid: ip netns exec, unshare and sh all exec in place.</summary>
    public int Pid { get; }

    public static CorosyncNode Start(int nodeId, string netns, string directory, string config)
    {
        foreach (var sub in new[] { "etc", "run", "lib", "log" })
        {
            Directory.CreateDirectory(Path.Combine(directory, sub));
        }

        File.WriteAllText(Path.Combine(directory, "etc", "corosync.conf"), config);
        var script =
            $"mount --bind '{directory}/etc' /etc/corosync && mount --bind '{directory}/run' /run && " +
            $"mkdir -p /run/corosync && mount --bind '{directory}/lib' /var/lib/corosync && " +
            $"mount --bind '{directory}/log' /var/log/corosync && mount -t tmpfs tmpfs /dev/shm && exec corosync -f";
        var startInfo = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "netns", "exec", netns, "unshare", "-m", "--propagation", "private", "sh", "-c", script })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start corosync n{nodeId}");
        return new CorosyncNode(nodeId, netns, process);
    }

    /// <summary>Waits until corosync serves IPC clients and its quorum view holds all <paramref name="nodeCount"/> nodes.</summary>
    public void WaitReady(int nodeCount, TimeSpan timeout)
    {
        var fullView = $"[QUORUM] Members[{nodeCount}]:";
        if (_stderr.WaitForCount(line => line.Contains(ReadyLine, StringComparison.Ordinal), 1, timeout) is null ||
            _stderr.WaitForCount(line => line.Contains(fullView, StringComparison.Ordinal), 1, timeout) is null)
        {
            throw new XunitException(
                $"corosync n{NodeId} not ready within {timeout.TotalSeconds} s (exited: {_process.HasExited})\n" +
                _stderr.Tail(20) + _stdout.Tail(5));
        }
    }

    /// <summary>kill -9: no goodbye to the other nodes, its IPC clients see the connection drop.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit(5000);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                Kill();
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }

        _process.Dispose();
    }
}
