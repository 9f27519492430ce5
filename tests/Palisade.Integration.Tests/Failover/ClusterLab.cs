using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Status;
using Palisade.Lab;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.Failover;

/// <summary>
/// A running 3-node lab with palisaded on every node and the demo group 'web' (floating IP + web service).
/// Always torn down on dispose.
/// </summary>
internal sealed class ClusterLab : IAsyncDisposable
{
    public const string Group = "web";
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    private ClusterLab(LabController lab, IReadOnlyList<string> nodes, string? cli = null)
    {
        Lab = lab;
        Nodes = nodes;
        Probe = cli is null ? new ClusterProbe(lab) : new ClusterProbe(lab, cli);
    }

    public LabController Lab { get; }
    public ClusterProbe Probe { get; }
    public IReadOnlyList<string> Nodes { get; }
    public CancellationToken Ct => CancellationToken.None;

    public static Task<ClusterLab> UpAsync(string configFile = "Failover/demo.yaml") =>
        UpFileAsync(Path.Combine(AppContext.BaseDirectory, configFile), "n1");

    /// <summary>A lab from a cluster file written by the test; waits for <see cref="Group"/> Online on <paramref name="groupOn"/>.</summary>
    public static async Task<ClusterLab> UpYamlAsync(string yaml, string groupOn = "n1")
    {
        var file = Path.Combine(Path.GetTempPath(), $"palisade-test-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            return await UpFileAsync(file, groupOn);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// A lab from <paramref name="config"/> with <paramref name="options"/> (e.g. another palisaded), its status read
    /// with the CLI at <paramref name="cli"/>; waits for <see cref="Group"/> Online on n1.
    /// </summary>
    public static Task<ClusterLab> UpWithAsync(string config, LabOptions options, string cli) =>
        UpFileAsync(config, "n1", options, cli);

    private static async Task<ClusterLab> UpFileAsync(string config, string groupOn, LabOptions? options = null, string? cli = null)
    {
        var lab = new LabController(options ?? new LabOptions(), NullLoggerFactory.Instance, TimeProvider.System);
        await lab.DownAsync(CancellationToken.None);
        try
        {
            var status = await lab.UpAsync(null, config, CancellationToken.None);
            var cluster = new ClusterLab(lab, [.. status.Nodes.Select(n => n.Name)], cli);
            await cluster.WaitAsync(groupOn, s => ClusterProbe.GroupOnline(s, Group, groupOn), $"web Online on {groupOn} after start-up");
            return cluster;
        }
        catch
        {
            await lab.DownAsync(CancellationToken.None);
            throw;
        }
    }

    public Task<StatusReport> WaitAsync(string node, Func<StatusReport, bool> condition, string what, TimeSpan? limit = null) =>
        Probe.WaitAsync(node, condition, limit ?? Limit, what, Ct);

    public static bool NodeIs(StatusReport s, string node, string state) => ClusterProbe.Node(s, node)?.State == state;

    /// <summary>SIGKILLs one program inside one node only (pkill would reach every node: they share the pid namespace).</summary>
    public async Task KillInNodeAsync(string node, string program)
    {
        using var process = System.Diagnostics.Process.GetProcessById(await PidInNodeAsync(node, program));
        process.Kill();
        using var limit = new CancellationTokenSource(Limit);
        await process.WaitForExitAsync(limit.Token); // a palisaded still dying holds its node's lock
    }

    /// <summary>The one process running <paramref name="program"/> inside <paramref name="node"/>.</summary>
    public async Task<int> PidInNodeAsync(string node, string program) => Assert.Single(await NodeProcesses.InNodeAsync(node, program));

    /// <summary>
    /// SIGKILLs palisaded on every node so that none of them lives to act on the others' death: all are frozen first
    /// (SIGSTOP leaves their corosync connections open, so nobody is seen to leave), then killed.
    /// </summary>
    public async Task KillAllDaemonsAsync()
    {
        string[] daemons = [.. (await NodeProcesses.AllAsync("palisaded")).Select(p => p.ToString(CultureInfo.InvariantCulture))];
        Assert.Equal(Nodes.Count, daemons.Length);
        Assert.Equal(0, (await RunProcessAsync("kill", ["-STOP", .. daemons])).ExitCode);
        Assert.Equal(0, (await RunProcessAsync("kill", ["-KILL", .. daemons])).ExitCode);
        await WaitGoneAsync(daemons); // a palisaded still dying holds its node's lock, and a new one would refuse to start
    }

    /// <summary>Stops palisaded on every node with SIGTERM, as an operator would, and waits until every one has exited.</summary>
    public async Task StopAllDaemonsAsync()
    {
        string[] daemons = [.. (await NodeProcesses.AllAsync("palisaded")).Select(p => p.ToString(CultureInfo.InvariantCulture))];
        Assert.Equal(Nodes.Count, daemons.Length);
        Assert.Equal(0, (await RunProcessAsync("kill", ["-TERM", .. daemons])).ExitCode);
        await WaitGoneAsync(daemons);
    }

    /// <summary>Stops palisaded on one node with SIGTERM, as an operator would, and waits until it has exited.</summary>
    public async Task StopDaemonAsync(string node)
    {
        var pid = (await PidInNodeAsync(node, "palisaded")).ToString(CultureInfo.InvariantCulture);
        Assert.Equal(0, (await RunProcessAsync("kill", ["-TERM", pid])).ExitCode);
        await WaitGoneAsync([pid]);
    }

    private static async Task WaitGoneAsync(string[] pids)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (pids.Any(pid => Directory.Exists($"/proc/{pid}")))
        {
            Assert.True(DateTime.UtcNow < deadline, "palisaded did not exit within a minute");
            await Task.Delay(20);
        }
    }

    /// <summary>Starts palisaded again on every node, as the node's boot script does.</summary>
    public async Task StartAllDaemonsAsync()
    {
        foreach (var node in Nodes)
        {
            await StartDaemonAsync(node);
        }
    }

    /// <summary>Starts palisaded again on one node, as the node's boot script does.</summary>
    public async Task StartDaemonAsync(string node)
    {
        var r = await Lab.ExecCaptureAsync(node, ["/bin/sh", "-c", "setsid /usr/local/sbin/palisaded --config /etc/palisade/palisade.yaml >>/var/log/palisade/palisaded.log 2>&1 < /dev/null &"], TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(0, r.ExitCode);
    }

    private static async Task<(int ExitCode, string Output)> RunProcessAsync(string file, string[] args)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardOutput = true })!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, text);
    }

    public IReadOnlyList<LedgerEntry> LedgerEntries => Ledger.Read(Lab.LedgerPath);

    /// <summary>Fails if the service ever ran on two nodes at once.</summary>
    public void AssertNoDoubleActivation()
    {
        var entries = LedgerEntries;
        Assert.NotEmpty(entries);
        var overlaps = Ledger.Overlaps(Ledger.Activities(entries));
        Assert.True(overlaps.Count == 0, "double activation:\n" + string.Join("\n", overlaps) + "\nledger:\n" + string.Join("\n", entries));
    }

    public long FirstIndex(Func<LedgerEntry, bool> match)
    {
        var entries = LedgerEntries;
        for (var i = 0; i < entries.Count; i++)
        {
            if (match(entries[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Runs the installed CLI inside <paramref name="node"/>: exit code, stdout and stderr.</summary>
    public async Task<ExecResult> CliAsync(string node, params string[] args) =>
        await Lab.ExecCaptureAsync(node, ["/usr/local/bin/palisade", .. args], TimeSpan.FromSeconds(90), Ct);

    /// <summary>
    /// GET <paramref name="path"/> (e.g. <c>/metrics</c>) from the API of <paramref name="node"/>'s palisaded, inside the
    /// node, with the node's token and base URL (/etc/palisade/api.token, api.url); the body.
    /// </summary>
    public async Task<string> ApiGetAsync(string node, string path)
    {
        var script = $"curl -s -H \"Authorization: Bearer $(cat /etc/palisade/api.token)\" \"$(cat /etc/palisade/api.url){path}\"";
        var r = await Lab.ExecCaptureAsync(node, ["sh", "-c", script], TimeSpan.FromSeconds(20), Ct);
        Xunit.Assert.True(r.ExitCode == 0, $"GET {path} on {node}: exit {r.ExitCode}: {r.Stderr}");
        return r.Stdout;
    }

    /// <summary>Waits until the CLI's output in <paramref name="node"/> satisfies <paramref name="condition"/>.</summary>
    public async Task<string> WaitCliAsync(string node, string[] args, Func<string, bool> condition, string what, TimeSpan? limit = null)
    {
        var deadline = DateTime.UtcNow + (limit ?? Limit);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            var run = await CliAsync(node, args);
            last = $"exit {run.ExitCode}\n{run.Stdout}{run.Stderr}";
            if (run.ExitCode == 0 && condition(run.Stdout))
            {
                return run.Stdout;
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"timed out waiting for {what}; last output of 'palisade {string.Join(' ', args)}' on {node}:\n{last}");
    }

    public string NodeLog(string node) => File.ReadAllText(Path.Combine(Lab.StatePath, "nodes", node, "log-palisade", "palisaded.log"));

    public async ValueTask DisposeAsync() => await Lab.DownAsync(CancellationToken.None);
}
