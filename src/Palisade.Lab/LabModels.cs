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
}

/// <summary>The lab as seen right now; power is read from each node's BMC over IPMI.</summary>
public sealed record LabStatus(string Cluster, IReadOnlyList<LabNodeStatus> Nodes);

/// <summary>
/// One node: <paramref name="Power"/> is "on", "off" or "unknown" (BMC did not answer);
/// the link flags say whether the node's switch ports are up (false after <c>lab cut</c>).
/// </summary>
public sealed record LabNodeStatus(
    string Name,
    uint Id,
    string Power,
    string Interconnect,
    string Admin,
    string Bmc,
    bool InterconnectUp,
    bool AdminUp);

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
