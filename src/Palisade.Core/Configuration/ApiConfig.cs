using System.Collections.Immutable;

namespace Palisade.Core.Configuration;

/// <summary>
/// The HTTP API every node's palisaded serves (<c>api:</c>): read the cluster as that node sees it, health checks
/// for load balancers, and Prometheus metrics. HTTPS with a certificate, or plain HTTP on the loopback address only.
/// </summary>
public sealed record ApiConfig
{
    /// <summary>CLUSTERPRO's Cluster WebUI port.</summary>
    public const int DefaultPort = 29003;

    public int Port { get; init; } = DefaultPort;

    public ApiListen Listen { get; init; } = ApiListen.Loopback;

    /// <summary>PEM certificate of the node's endpoint; required unless it listens on loopback only.</summary>
    public string? Certificate { get; init; }

    /// <summary>PEM private key of that certificate (root-only).</summary>
    public string? Key { get; init; }

    public required ImmutableArray<ApiToken> Tokens { get; init; }

    /// <summary>Logins of Unix users (PAM) for the web view, with a role by group; null: tokens only.</summary>
    public ApiLogins? Logins { get; init; }

    /// <summary>The address the API of <paramref name="node"/> listens on.</summary>
    public string ListenOn(NodeConfig node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return Listen switch
        {
            ApiListen.Loopback => "127.0.0.1",
            ApiListen.Any => "0.0.0.0",
            _ => node.Admin ?? node.Interconnect[0],
        };
    }
}

/// <summary>Where a node's API listens (<c>listen:</c>).</summary>
public enum ApiListen
{
    /// <summary>127.0.0.1 only, plain HTTP allowed: for agents and tools on the node itself.</summary>
    Loopback,

    /// <summary>The node's admin address (its first interconnect address when it has none).</summary>
    Admin,

    /// <summary>Every address of the node.</summary>
    Any,
}

/// <summary>What a caller may do: each role includes the ones before it.</summary>
public enum ApiRole
{
    /// <summary>Read state, events and metrics.</summary>
    View,

    /// <summary>Also start, stop and move groups, suspend and clear monitors.</summary>
    Operate,

    /// <summary>Also fence nodes and change the shutdown facility.</summary>
    Admin,
}

/// <summary>
/// Logins with a user name and password checked by PAM (<c>logins:</c>): a user in <see cref="Admin"/>'s Unix group
/// gets role admin, else in <see cref="Operate"/>'s operate, else in <see cref="View"/>'s view; anyone else is refused.
/// A login gives a session token that ends after <see cref="Session"/>.
/// </summary>
public sealed record ApiLogins
{
    public const string DefaultService = "palisade";

    /// <summary>The PAM service (<c>/etc/pam.d/SERVICE</c>).</summary>
    public string Service { get; init; } = DefaultService;

    public string? View { get; init; }

    public string? Operate { get; init; }

    public string? Admin { get; init; }

    public TimeSpan Session { get; init; } = TimeSpan.FromHours(8);

    /// <summary>The role of a user in <paramref name="groups"/>: the highest whose group is one of them; null: none.</summary>
    public ApiRole? RoleOf(IReadOnlyCollection<string> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return Admin is not null && groups.Contains(Admin) ? ApiRole.Admin
            : Operate is not null && groups.Contains(Operate) ? ApiRole.Operate
            : View is not null && groups.Contains(View) ? ApiRole.View
            : null;
    }
}

/// <summary>One bearer token of the API, read from a root-only file when palisaded starts.</summary>
public sealed record ApiToken
{
    public required string Name { get; init; }

    public required ApiRole Role { get; init; }

    public required string TokenFile { get; init; }
}
