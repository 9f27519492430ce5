namespace Palisade.Daemon;

/// <summary>
/// What one client of the control socket may cost palisaded. The socket is root-only; the limits keep a buggy or
/// hung local tool from growing the daemon's memory or holding its connections (docs/operations.md).
/// </summary>
internal sealed record ControlLimits
{
    /// <summary>The longest request line accepted, newline included; a longer one gets an error reply and is closed.</summary>
    public const int DefaultMaxRequestBytes = 512 * 1024;

    /// <summary>How long a client has from connecting to sending its whole request line.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Connections served at once; one more is answered with an error and closed at once.</summary>
    public const int DefaultMaxConnections = 32;

    /// <summary>The only user id whose connections are served (SO_PEERCRED): root.</summary>
    public const uint DefaultAllowedUid = 0;

    public static ControlLimits Default { get; } = new();

    public int MaxRequestBytes { get; init; } = DefaultMaxRequestBytes;

    public TimeSpan RequestTimeout { get; init; } = DefaultRequestTimeout;

    public int MaxConnections { get; init; } = DefaultMaxConnections;

    public uint AllowedUid { get; init; } = DefaultAllowedUid;
}
