using System.Collections.Immutable;

namespace Palisade.Core.Shutdown;

/// <summary>What kind of value a shutdown agent parameter takes.</summary>
public enum ParameterKind
{
    /// <summary>Any non-empty text on one line.</summary>
    Text,

    /// <summary>An IP address or a host name.</summary>
    Host,

    /// <summary>An integer between <see cref="AgentParameterSpec.Min"/> and <see cref="AgentParameterSpec.Max"/>.</summary>
    Integer,

    /// <summary>An absolute path.</summary>
    Path,

    /// <summary>One of <see cref="AgentParameterSpec.Choices"/>, matched case-insensitively.</summary>
    Choice,

    /// <summary>true or false.</summary>
    Flag,

    /// <summary>A list of IP addresses or host names, separated by commas.</summary>
    HostList,
}

/// <summary>
/// One parameter a shutdown agent type accepts, declared once: the declaration drives configuration validation,
/// redaction in printed configuration, help text and the documentation.
/// </summary>
/// <param name="Default">What the agent uses when the parameter is not written; null when there is none.</param>
/// <param name="Secret">The value never appears in logs, status, messages or printed configuration.</param>
public sealed record AgentParameterSpec(
    string Name,
    ParameterKind Kind,
    bool Required,
    string? Default,
    bool Secret,
    string Description)
{
    public ImmutableArray<string> Choices { get; init; } = [];

    public long Min { get; init; } = long.MinValue;

    public long Max { get; init; } = long.MaxValue;

    public static AgentParameterSpec Text(string name, string description, bool required = false, string? defaultValue = null) =>
        new(name, ParameterKind.Text, required, defaultValue, false, description);

    public static AgentParameterSpec Host(string name, string description, bool required = false, string? defaultValue = null) =>
        new(name, ParameterKind.Host, required, defaultValue, false, description);

    public static AgentParameterSpec Hosts(string name, string description) =>
        new(name, ParameterKind.HostList, false, null, false, description);

    public static AgentParameterSpec Path(string name, string description, bool required = false) =>
        new(name, ParameterKind.Path, required, null, false, description);

    public static AgentParameterSpec Password(string name, string description) =>
        new(name, ParameterKind.Text, false, null, true, description);

    public static AgentParameterSpec Flag(string name, string description, bool defaultValue) =>
        new(name, ParameterKind.Flag, false, defaultValue ? "true" : "false", false, description);

    public static AgentParameterSpec Integer(string name, string description, long min, long max, long? defaultValue = null) =>
        new(name, ParameterKind.Integer, false, defaultValue?.ToString(System.Globalization.CultureInfo.InvariantCulture), false, description)
        {
            Min = min,
            Max = max,
        };

    public static AgentParameterSpec Choice(string name, string description, string defaultValue, params string[] choices) =>
        new(name, ParameterKind.Choice, false, defaultValue, false, description) { Choices = [.. choices] };
}

/// <summary>What a shutdown agent type does to the node it fences.</summary>
public enum AgentRole
{
    /// <summary>Stops the node (power off, reset) and confirms it is stopped.</summary>
    Stops,

    /// <summary>
    /// Never stops a node; only confirms it is down (kdump: the crash kernel announced itself; icmp: silence;
    /// watchdog: the node's own watchdog has had time to reset it). A chain of these alone cannot fence a running node.
    /// </summary>
    ConfirmsOnly,
}

/// <summary>A shutdown agent type: what it does, its parameters and how they combine.</summary>
/// <param name="Role">Whether the agent stops nodes or only confirms they are down.</param>
public sealed record AgentTypeSpec(string Type, string Description, AgentRole Role, ImmutableArray<AgentParameterSpec> Parameters)
{
    /// <summary>True for agents that stop the node; false for confirm-only ones.</summary>
    public bool Stops => Role == AgentRole.Stops;

    /// <summary>True for agents that only confirm a node is down and never stop it.</summary>
    public bool ConfirmsOnly => Role == AgentRole.ConfirmsOnly;

    /// <summary>Added by Palisade to a chain rather than written (the watchdog agent of a node with a watchdog).</summary>
    public bool Automatic { get; init; }

    /// <summary>
    /// Confirms from silence (icmp): no proof while a cut-off node may still run until its watchdog resets it, so on a
    /// node with a watchdog such a confirmation does not end the chain.
    /// </summary>
    public bool ConfirmsBySilence { get; init; }

    /// <summary>Sets of parameters of which exactly one must be given (e.g. password or password_file).</summary>
    public ImmutableArray<ImmutableArray<string>> ExactlyOneOf { get; init; } = [];

    /// <summary>Sets of parameters of which at most one may be given.</summary>
    public ImmutableArray<ImmutableArray<string>> AtMostOneOf { get; init; } = [];

    /// <summary>
    /// For ClusterLabs agents: parameters not declared here are the fence agent's own options, passed through on its
    /// stdin and checked against its metadata when the agent is initialised.
    /// </summary>
    public bool PassesOptionsThrough { get; init; }

    /// <summary>For presets over <c>fence-agent</c>: the ClusterLabs agent they run.</summary>
    public string? FenceAgent { get; init; }

    public AgentParameterSpec? Find(string name) => Parameters.FirstOrDefault(p => p.Name == name);

    /// <summary>
    /// True when <paramref name="name"/> is one of the fence agent's own options: not declared here, and not
    /// <c>agent</c> on a preset, whose agent is fixed by <see cref="FenceAgent"/>.
    /// </summary>
    public bool PassesThrough(string name) =>
        PassesOptionsThrough && Find(name) is null && !(FenceAgent is not null && name == "agent");

    /// <summary>True when the value of <paramref name="name"/> must never be shown.</summary>
    public bool IsSecret(string name) =>
        Find(name)?.Secret ?? Configuration.SecretNames.IsSecret(name);
}
