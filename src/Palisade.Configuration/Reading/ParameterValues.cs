using System.Globalization;
using Palisade.Core.Shutdown;

namespace Palisade.Configuration.Reading;

/// <summary>How the configuration reader checks a value against a declared agent parameter.</summary>
internal static class ParameterValues
{
    /// <summary>Completes "expected ..." in messages.</summary>
    public static string Expected(AgentParameterSpec parameter) => parameter.Kind switch
    {
        ParameterKind.Host => "an IP address or a host name",
        ParameterKind.HostList => "IP addresses or host names separated by commas",
        ParameterKind.Path => "an absolute path (starting with /)",
        ParameterKind.Integer => $"an integer between {parameter.Min} and {parameter.Max}",
        ParameterKind.Choice => Fields.Choices(parameter.Choices),
        ParameterKind.Flag => "true or false",
        _ => "a non-empty text on one line",
    };

    /// <summary>The canonical value, or null when <paramref name="raw"/> is not acceptable.</summary>
    public static string? Normalize(AgentParameterSpec parameter, string raw) => parameter.Kind switch
    {
        ParameterKind.Host => Host(raw),
        ParameterKind.HostList => HostList(raw),
        ParameterKind.Path => raw.StartsWith('/') && !Scalars.HasControlCharacters(raw) ? raw : null,
        ParameterKind.Integer => Formats.TryParseInteger(raw, out var value) && value >= parameter.Min && value <= parameter.Max
            ? value.ToString(CultureInfo.InvariantCulture)
            : null,
        // Matched case-insensitively; the declared spelling is what the agent receives.
        ParameterKind.Choice => parameter.Choices.FirstOrDefault(v => string.Equals(v, raw, StringComparison.OrdinalIgnoreCase)),
        ParameterKind.Flag => Formats.TryParseBoolean(raw, out var flag) ? (flag ? "true" : "false") : null,
        _ => Text(raw),
    };

    /// <summary>A fence agent's own option: any text on one line (its metadata is checked when the agent starts).</summary>
    public static string? Text(string raw) => raw.Trim().Length > 0 && !Scalars.HasControlCharacters(raw) ? raw : null;

    private static string? Host(string raw) =>
        Formats.TryParseAddress(raw, out var address) ? address!.ToString()
        : Formats.IsHostname(raw) ? raw
        : null;

    private static string? HostList(string raw)
    {
        var hosts = raw.Split(',', StringSplitOptions.TrimEntries).Select(Host).ToList();
        return hosts.Count > 0 && hosts.All(h => h is not null) ? string.Join(",", hosts) : null;
    }
}
