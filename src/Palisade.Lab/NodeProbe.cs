using System.Globalization;

namespace Palisade.Lab;

/// <summary>Membership as corosync-quorumtool reports it inside one node.</summary>
internal sealed record QuorumView(int Members, bool Quorate)
{
    /// <summary>Reads the "Nodes:" and "Quorate:" lines of <c>corosync-quorumtool -s</c>; null if absent.</summary>
    public static QuorumView? Parse(string output)
    {
        int? members = null;
        bool? quorate = null;
        foreach (var raw in output.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("Nodes:", StringComparison.Ordinal)
                && int.TryParse(line["Nodes:".Length..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                members = n;
            }
            else if (line.StartsWith("Quorate:", StringComparison.Ordinal))
            {
                quorate = line["Quorate:".Length..].Trim() == "Yes";
            }
        }

        return members is { } m && quorate is { } q ? new QuorumView(m, q) : null;
    }
}

/// <summary>Looks inside nodes: is a node powered (its init alive), and what does it see.</summary>
internal sealed class NodeProbe(ProcessRunner runner, LabPaths paths)
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan QuorumToolTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The node's init pid when it runs, else null. The pid must still be inside the node's network
    /// namespace: a stale file or a reused pid does not count (same rule as the power script).
    /// </summary>
    public async Task<string?> InitPidAsync(LabNode node, CancellationToken ct)
    {
        string pid;
        try
        {
            pid = (await File.ReadAllTextAsync(paths.InitPid(node.Name), ct)).Trim();
        }
        catch (IOException)
        {
            return null;
        }

        if (pid.Length == 0 || !pid.All(char.IsAsciiDigit))
        {
            return null;
        }

        var result = await runner.RunAsync("ip", ["netns", "identify", pid], ToolTimeout, ct);
        return result.ExitCode == 0 && result.Stdout.Trim() == node.Namespace ? pid : null;
    }

    /// <summary>nsenter arguments that put a command into the node's network, mount and UTS namespaces.</summary>
    public static IReadOnlyList<string> EnterArgs(string initPid, IReadOnlyList<string> command) =>
        ["-t", initPid, "--net", "--mount", "--uts", "--", .. command];

    public Task<ExecResult> RunInsideAsync(string initPid, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken ct) =>
        runner.RunAsync("nsenter", EnterArgs(initPid, command), timeout, ct);

    /// <summary>What the node's corosync reports, or null if it does not answer (yet).</summary>
    public async Task<QuorumView?> QuorumAsync(string initPid, CancellationToken ct)
    {
        try
        {
            var result = await RunInsideAsync(initPid, ["corosync-quorumtool", "-s"], QuorumToolTimeout, ct);
            return QuorumView.Parse(result.Stdout);
        }
        catch (TimeoutException)
        {
            return null; // a corosync busy forming its ring may not answer one call; the caller polls again
        }
    }

    public async Task<bool> DaemonSocketExistsAsync(string initPid, CancellationToken ct)
    {
        var result = await RunInsideAsync(initPid, ["/usr/bin/test", "-S", "/run/palisade/palisaded.sock"], ToolTimeout, ct);
        return result.ExitCode == 0;
    }
}
