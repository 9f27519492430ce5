using System.Collections.Immutable;

namespace Palisade.Core.Configuration;

/// <summary>
/// The HTTPS endpoint on every node where remote senders (a BMC, a management server, another node's
/// <c>clprexec -h</c>) deliver messages (<c>intake:</c>). Only TLS; each sender has its own bearer token and the
/// addresses it may send from.
/// </summary>
public sealed record IntakeConfig
{
    /// <summary>CLUSTERPRO's default port for external requests.</summary>
    public const int DefaultPort = 29002;

    public int Port { get; init; } = DefaultPort;

    /// <summary>Which of the node's addresses it listens on.</summary>
    public IntakeListen Listen { get; init; } = IntakeListen.Admin;

    /// <summary>PEM certificate (chain) of the node's endpoint.</summary>
    public required string Certificate { get; init; }

    /// <summary>PEM private key of that certificate (root-only).</summary>
    public required string Key { get; init; }

    public required ImmutableArray<IntakeSender> Senders { get; init; }

    /// <summary>The address the endpoint of <paramref name="node"/> listens on.</summary>
    public string ListenOn(NodeConfig node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Listen switch
        {
            IntakeListen.Any => "0.0.0.0",
            IntakeListen.Interconnect => node.Interconnect[0],
            _ => node.Admin ?? node.Interconnect[0],
        };
    }
}

/// <summary>Where a node's endpoint listens (<c>listen:</c>).</summary>
public enum IntakeListen
{
    /// <summary>The node's admin address (its first interconnect address when it has none): the default.</summary>
    Admin,

    /// <summary>The node's first interconnect address.</summary>
    Interconnect,

    /// <summary>Every address of the node.</summary>
    Any,
}

/// <summary>What a sender may ask of the intake.</summary>
public enum IntakeAction
{
    /// <summary>Messages (<c>notify</c>, <c>clprexec --notice/--clear</c>).</summary>
    Notify,

    /// <summary>Move a group to another node (<c>clprexec --failover</c>).</summary>
    Failover,

    /// <summary>Run a script from the node's request script directory (<c>clprexec --script</c>).</summary>
    Script,
}

/// <summary>One remote sender: its token file, the networks it may send from, what it may ask.</summary>
public sealed record IntakeSender
{
    public required string Name { get; init; }

    /// <summary>A root-only file holding the sender's bearer token (read when palisaded starts).</summary>
    public required string TokenFile { get; init; }

    /// <summary>Networks (CIDR) or addresses the sender may connect from.</summary>
    public required ImmutableArray<string> Allow { get; init; }

    public ImmutableArray<IntakeAction> Actions { get; init; } = [IntakeAction.Notify];
}
