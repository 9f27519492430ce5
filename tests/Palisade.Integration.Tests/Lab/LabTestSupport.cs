using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Lab;
using Xunit;

namespace Palisade.Integration.Tests.Lab;

/// <summary>What corosync-quorumtool -s printed inside a node.</summary>
internal sealed record QuorumSnapshot(int Members, bool Quorate, string Raw)
{
    public override string ToString() => $"members={Members} quorate={Quorate}";
}

/// <summary>Helpers for the lab tests; host-side checks deliberately use ip/ipmitool directly, not the lab's code.</summary>
internal static class LabTestSupport
{
    /// <summary>The lab alone is under test: nodes run corosync only.</summary>
    public const string MissingDaemon = "/nonexistent/palisaded-for-lab-tests";

    public static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(90);

    public static LabController NewController() =>
        new(new LabOptions { DaemonPath = MissingDaemon }, NullLoggerFactory.Instance, TimeProvider.System);

    public static async Task<QuorumSnapshot> QuorumAsync(LabController lab, string node, CancellationToken ct)
    {
        var result = await lab.ExecCaptureAsync(node, ["/usr/sbin/corosync-quorumtool", "-s"], TimeSpan.FromSeconds(10), ct);
        var members = -1;
        var quorate = false;
        foreach (var line in result.Stdout.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("Nodes:", StringComparison.Ordinal))
            {
                members = int.Parse(line["Nodes:".Length..].Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Quorate:", StringComparison.Ordinal))
            {
                quorate = line["Quorate:".Length..].Trim() == "Yes";
            }
        }

        return new QuorumSnapshot(members, quorate, result.Stdout);
    }

    /// <summary>Polls until <paramref name="done"/> holds; fails with the last observation after <paramref name="limit"/>.</summary>
    public static async Task<T> WaitForAsync<T>(
        Func<Task<T>> observe, Func<T, bool> done, TimeSpan limit, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var seen = await observe();
            if (done(seen))
            {
                return seen;
            }

            if (clock.Elapsed > limit)
            {
                Assert.Fail($"timed out after {limit.TotalSeconds} s waiting for {what}; last seen: {seen}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    /// <summary>Waits until the node's corosync reports exactly this membership size and quorum state.</summary>
    public static Task<QuorumSnapshot> WaitForQuorumAsync(
        LabController lab, string node, int members, bool quorate, CancellationToken ct, TimeSpan? limit = null) =>
        WaitForAsync(
            () => QuorumAsync(lab, node, ct),
            q => q.Members == members && q.Quorate == quorate,
            limit ?? TimeSpan.FromSeconds(20),
            $"{node} to see {members} members, quorate={quorate}",
            ct);

    public static ExecResult Host(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within 30 s");
        }

        return new ExecResult(process.ExitCode, stdout.Result, stderr);
    }

    public static IReadOnlyList<string> LabNamespaces() =>
        Host("ip", "netns", "list").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')[0])
            .Where(n => n.StartsWith("pal-", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static IReadOnlyList<int> NamespacePids(string ns)
    {
        var result = Host("ip", "netns", "pids", ns);
        return result.ExitCode != 0
            ? []
            : result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
                .ToList();
    }

    /// <summary>True while the process runs; an exited process (zombie or reaped) is not alive.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Chassis power as ipmitool in pal-sw reads it from the BMC ("on"/"off"), independent of the lab's code.</summary>
    public static string IpmitoolPower(LabController lab, string bmcAddress)
    {
        var result = Host("ip", "netns", "exec", "pal-sw", "ipmitool", "-I", "lanplus", "-C", "3", "-H", bmcAddress,
            "-p", "623", "-U", "admin", "-f", Path.Combine(lab.StatePath, "bmc.pass"), "chassis", "power", "status");
        Assert.True(result.ExitCode == 0, $"ipmitool failed: {result.Stderr}");
        return result.Stdout.Trim() switch
        {
            "Chassis Power is on" => "on",
            "Chassis Power is off" => "off",
            var other => other,
        };
    }

    public static IReadOnlyList<string> LedgerLines(LabController lab) =>
        File.Exists(lab.LedgerPath) ? File.ReadAllLines(lab.LedgerPath) : [];
}

/// <summary>
/// A 3-node lab for one test class: removes leftovers of an aborted earlier run, brings the lab up,
/// and always takes it down again.
/// </summary>
public sealed class ThreeNodeLab : IAsyncLifetime
{
    public LabController Lab { get; } = LabTestSupport.NewController();

    public LabStatus Status { get; private set; } = null!;

    public TimeSpan UpTime { get; private set; }

    public async Task InitializeAsync()
    {
        await Lab.DownAsync(CancellationToken.None);
        var clock = Stopwatch.StartNew();
        try
        {
            using var cts = new CancellationTokenSource(LabTestSupport.TestLimit);
            Status = await Lab.UpAsync(3, null, cts.Token);
            UpTime = clock.Elapsed;
        }
        catch
        {
            await Lab.DownAsync(CancellationToken.None);
            throw;
        }
    }

    public Task DisposeAsync() => Lab.DownAsync(CancellationToken.None);
}
