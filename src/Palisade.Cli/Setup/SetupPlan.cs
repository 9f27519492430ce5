using Palisade.Core.Configuration;

namespace Palisade.Cli.Setup;

/// <summary>When a step runs: copying the files to each node, or starting the cluster once every node has them.</summary>
internal enum SetupPhase
{
    Copy,
    Start,
}

/// <summary>One command run on this machine (ssh or scp) for one node.</summary>
internal sealed record SetupStep(string Node, SetupPhase Phase, IReadOnlyList<string> Command);

/// <summary>
/// The commands that put a cluster's files on its nodes and start it: pure, from the configuration and the bundle
/// directory. Every node gets the same three files: /etc/corosync/authkey (mode 0400), /etc/corosync/corosync.conf and
/// /etc/palisade/palisade.yaml, and checks the cluster file with its own palisade.
/// </summary>
internal static class SetupPlan
{
    public const string AuthkeyFile = "authkey";
    public const string CorosyncFile = "corosync.conf";
    public const string ClusterFile = "palisade.yaml";

    private static readonly string[] Ssh = ["ssh", "-o", "BatchMode=yes"];
    private static readonly string[] Scp = ["scp", "-o", "BatchMode=yes"];

    /// <summary>Where ssh reaches <paramref name="node"/>: its admin address, else its first interconnect address.</summary>
    public static string AddressOf(NodeConfig node) => node.Admin ?? node.Interconnect[0];

    public static IReadOnlyList<SetupStep> For(ClusterConfig config, string bundle, string user)
    {
        var steps = new List<SetupStep>();
        foreach (var node in config.Nodes)
        {
            var address = AddressOf(node);
            var target = $"{user}@{address}";
            var copyTarget = $"{user}@{(address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address)}";
            steps.Add(new(node.Name, SetupPhase.Copy, [.. Ssh, target, "install -d -m 0755 /etc/palisade /etc/corosync"]));
            steps.Add(new(node.Name, SetupPhase.Copy, [.. Scp, "-p", Path.Combine(bundle, AuthkeyFile), $"{copyTarget}:/etc/corosync/authkey"]));
            steps.Add(new(node.Name, SetupPhase.Copy, [.. Scp, Path.Combine(bundle, CorosyncFile), $"{copyTarget}:/etc/corosync/corosync.conf"]));
            steps.Add(new(node.Name, SetupPhase.Copy, [.. Scp, Path.Combine(bundle, ClusterFile), $"{copyTarget}:/etc/palisade/palisade.yaml"]));
            steps.Add(new(node.Name, SetupPhase.Copy, [.. Ssh, target,
                "chown root:root /etc/corosync/authkey && chmod 0400 /etc/corosync/authkey && palisade config validate /etc/palisade/palisade.yaml"]));
        }

        // corosync on every node first (a node's palisaded needs its corosync), then palisaded.
        foreach (var node in config.Nodes)
        {
            steps.Add(new(node.Name, SetupPhase.Start, [.. Ssh, $"{user}@{AddressOf(node)}", "systemctl enable corosync && systemctl restart corosync"]));
        }

        foreach (var node in config.Nodes)
        {
            steps.Add(new(node.Name, SetupPhase.Start, [.. Ssh, $"{user}@{AddressOf(node)}", "systemctl enable --now palisaded"]));
        }

        return steps;
    }

    /// <summary>A command as a shell line (arguments with shell characters in single quotes).</summary>
    public static string ShellLine(IReadOnlyList<string> command) => string.Join(' ', command.Select(Quote));

    private static string Quote(string arg) =>
        arg.Length > 0 && arg.All(c => char.IsAsciiLetterOrDigit(c) || "@%+=:,./_-[]".Contains(c, StringComparison.Ordinal))
            ? arg
            : "'" + arg.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
