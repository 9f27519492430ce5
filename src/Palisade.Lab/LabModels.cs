namespace Palisade.Lab;

/// <summary>Where the lab keeps its state and which daemon its nodes run.</summary>
public sealed record LabOptions
{
    /// <summary>
    /// State directory. Not under /run: every node mounts a fresh tmpfs on /run, which would hide it.
    /// </summary>
    public string StateRoot { get; init; } = "/var/lib/palisade-lab";

    /// <summary>palisaded to start on every node; null: env PALISADE_DAEMON, else /usr/local/sbin/palisaded.</summary>
    public string? DaemonPath { get; init; }

    /// <summary>
    /// The command that runs <c>palisade</c> (e.g. <c>["/usr/local/bin/palisade"]</c>): the lab starts its Redfish BMCs
    /// and kdump announcers as hidden <c>palisade lab</c> subcommands. Null: the running palisade itself, else a
    /// <c>palisade</c> next to the application (see <c>LabHelper</c>).
    /// </summary>
    public IReadOnlyList<string>? HelperCommand { get; init; }
}

/// <summary>The lab as seen right now; power is read from each node's BMC over IPMI.</summary>
public sealed record LabStatus(string Cluster, IReadOnlyList<LabNodeStatus> Nodes);

/// <summary>
/// One node: <paramref name="Power"/> is "on", "off" or "unknown" (no BMC answered);
/// the link flags say whether the node's switch ports are up (false after <c>lab cut</c>).
/// <paramref name="Ipmi"/> and <paramref name="Redfish"/> are "up" when that BMC of the node answers, else "down"
/// (both are down after <c>lab bmc NODE down</c>). <paramref name="Panicked"/>: after <c>lab panic</c>, until the
/// node is powered off; its power stays "on".
/// </summary>
public sealed record LabNodeStatus(
    string Name,
    uint Id,
    string Power,
    string Interconnect,
    string Admin,
    string Bmc,
    bool InterconnectUp,
    bool AdminUp,
    string Ipmi,
    string Redfish,
    bool Panicked);

/// <summary>Outcome of a command run inside a node.</summary>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);

/// <summary>A lab operation failed; the message says what and what to do.</summary>
public class LabException : Exception
{
    public LabException(string message)
        : base(message)
    {
    }

    public LabException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>The request itself is wrong (unknown node, bad argument): the CLI exits with 2.</summary>
public sealed class LabUsageException : LabException
{
    public LabUsageException(string message)
        : base(message)
    {
    }
}
