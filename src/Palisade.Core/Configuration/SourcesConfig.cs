using System.Collections.Immutable;

namespace Palisade.Core.Configuration;

/// <summary>
/// The node's built-in message sources (<c>sources:</c>): what palisaded itself turns into messages for its intake,
/// on every node.
/// </summary>
public sealed record SourcesConfig
{
    /// <summary>Interfaces whose link state is followed over netlink: a lost link is an error <c>NIC.IF</c>, its return a clear.</summary>
    public ImmutableArray<string> Links { get; init; } = [];

    /// <summary>The kernel log read against rule files; null when it is not read.</summary>
    public KernelLogSource? KernelLog { get; init; }

    public bool Any => !Links.IsDefaultOrEmpty || KernelLog is not null;
}

/// <summary>The kernel log source: where to read, and which rule files to match.</summary>
public sealed record KernelLogSource
{
    public const string DefaultPath = "/dev/kmsg";

    /// <summary>The kernel's record device, or a log file that grows (followed from its end).</summary>
    public string Path { get; init; } = DefaultPath;

    /// <summary>Rule files or directories of them; empty: the rules shipped with Palisade.</summary>
    public ImmutableArray<string> Rules { get; init; } = [];
}
