using System.Collections.Immutable;
using System.Globalization;

namespace Palisade.Configuration.Reading;

/// <summary>What values one agent parameter accepts, and its canonical spelling of a value.</summary>
internal abstract class ParameterType
{
    /// <summary>Completes "expected ..." in messages.</summary>
    public abstract string Expected { get; }

    /// <summary>The canonical value, or null when <paramref name="raw"/> is not acceptable.</summary>
    public abstract string? Normalize(string raw);

    public static ParameterType Text { get; } = new TextType();
    public static ParameterType Host { get; } = new HostType();
    public static ParameterType AbsolutePath { get; } = new AbsolutePathType();

    public static ParameterType Integer(long min, long max) => new IntegerType(min, max);

    public static ParameterType Choice(params string[] values) => new ChoiceType([.. values]);

    private sealed class TextType : ParameterType
    {
        public override string Expected => "a non-empty text on one line";

        public override string? Normalize(string raw) =>
            raw.Trim().Length > 0 && !Scalars.HasControlCharacters(raw) ? raw : null;
    }

    private sealed class HostType : ParameterType
    {
        public override string Expected => "an IP address or a host name";

        public override string? Normalize(string raw) =>
            Formats.TryParseAddress(raw, out var address) ? address!.ToString()
            : Formats.IsHostname(raw) ? raw
            : null;
    }

    private sealed class AbsolutePathType : ParameterType
    {
        public override string Expected => "an absolute path (starting with /)";

        public override string? Normalize(string raw) =>
            raw.StartsWith('/') && !Scalars.HasControlCharacters(raw) ? raw : null;
    }

    private sealed class IntegerType(long min, long max) : ParameterType
    {
        public override string Expected => $"an integer between {min} and {max}";

        public override string? Normalize(string raw) =>
            Formats.TryParseInteger(raw, out var value) && value >= min && value <= max
                ? value.ToString(CultureInfo.InvariantCulture)
                : null;
    }

    /// <summary>Matched case-insensitively; the declared spelling is what the agent receives.</summary>
    private sealed class ChoiceType(ImmutableArray<string> values) : ParameterType
    {
        public override string Expected => Fields.Choices(values);

        public override string? Normalize(string raw) =>
            values.FirstOrDefault(v => string.Equals(v, raw, StringComparison.OrdinalIgnoreCase));
    }
}

/// <summary>One parameter a shutdown agent type accepts.</summary>
/// <param name="Default">What the agent uses when the parameter is not written (the config keeps only written values).</param>
/// <param name="Secret">Never shown in messages or printed configuration, whatever its name.</param>
internal sealed record AgentParameter(string Name, ParameterType Type, bool Required, string? Default, bool Secret, string Description);

/// <summary>A shutdown agent type: its parameters and the sets of which exactly one member must be given.</summary>
internal sealed record AgentDeclaration(
    string Type,
    string Description,
    ImmutableArray<AgentParameter> Parameters,
    ImmutableArray<ImmutableArray<string>> ExactlyOneOf)
{
    public AgentParameter? Find(string name) => Parameters.FirstOrDefault(p => p.Name == name);
}

/// <summary>Every shutdown agent type the configuration accepts. A new type is one more declaration here.</summary>
internal static class AgentCatalog
{
    public static readonly AgentDeclaration Ipmi = new(
        "ipmi",
        "Power control through the node's BMC over IPMI v2.0 (lanplus)",
        [
            new("address", ParameterType.Host, true, null, false, "BMC address or host name"),
            new("port", ParameterType.Integer(1, 65535), false, "623", false, "BMC UDP port"),
            new("user", ParameterType.Text, true, null, false, "BMC user name"),
            new("password", ParameterType.Text, false, null, true, "BMC password, inline (prefer password_file)"),
            new("password_file", ParameterType.AbsolutePath, false, null, false, "File holding the BMC password, read when the agent runs"),
            new("cipher", ParameterType.Integer(0, 17), false, "3", false, "IPMI v2.0 cipher suite"),
            new("privilege", ParameterType.Choice("CALLBACK", "USER", "OPERATOR", "ADMINISTRATOR"), false, "ADMINISTRATOR", false, "Privilege level of the session"),
            new("method", ParameterType.Choice("onoff", "cycle"), false, "onoff", false, "onoff: power off and confirm; cycle: power off, confirm, then power on"),
        ],
        [["password", "password_file"]]);

    public static readonly ImmutableArray<AgentDeclaration> All = [Ipmi];

    public static AgentDeclaration? Find(string type) => All.FirstOrDefault(a => a.Type == type);

    public static string KnownTypes => string.Join(", ", All.Select(a => a.Type));
}
