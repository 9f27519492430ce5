using System.Collections.Immutable;

namespace Palisade.Core.Configuration;

/// <summary>
/// One entry of <c>alerts:</c>: where the cluster's alert events go. An <see cref="AlertType.Agent"/> is an executable
/// run once per event and recipient with Pacemaker's <c>CRM_alert_*</c> environment; a <see cref="AlertType.Webhook"/>
/// is an HTTPS endpoint (plain HTTP on loopback only) that gets each event as a JSON body.
/// </summary>
public sealed record AlertConfig
{
    /// <summary>Pacemaker's default <c>timestamp-format</c>.</summary>
    public const string DefaultTimestampFormat = "%H:%M:%S.%06N";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The kinds Pacemaker sends when an alert selects none: attributes are opt-in.</summary>
    public static readonly ImmutableArray<AlertKind> DefaultKinds = [AlertKind.Node, AlertKind.Fencing, AlertKind.Resource];

    public required string Name { get; init; }

    public required AlertType Type { get; init; }

    /// <summary>The agent's executable (absolute path); null for a webhook.</summary>
    public string? Path { get; init; }

    /// <summary>Each recipient gets its own delivery (<c>CRM_alert_recipient</c>); an agent without any gets one, with none.</summary>
    public ImmutableArray<string> Recipients { get; init; } = [];

    public string TimestampFormat { get; init; } = DefaultTimestampFormat;

    public ImmutableArray<AlertKind> Kinds { get; init; } = DefaultKinds;

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The webhook's URL; null for an agent.</summary>
    public Uri? Url { get; init; }

    /// <summary>A root-only file holding the webhook's bearer token; never logged.</summary>
    public string? TokenFile { get; init; }

    /// <summary>A PEM file of the CA that signed the webhook server's certificate (else the system's store).</summary>
    public string? Ca { get; init; }

    /// <summary>The deliveries one event makes for this alert: one per recipient, or one without a recipient.</summary>
    public ImmutableArray<string> Targets => Recipients.IsDefaultOrEmpty ? [""] : Recipients;
}

public enum AlertType
{
    Agent,
    Webhook,
}

/// <summary>Pacemaker's kinds of alert (<c>CRM_alert_kind</c>).</summary>
public enum AlertKind
{
    Node,
    Fencing,
    Resource,
    Attribute,
}
