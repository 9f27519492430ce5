using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>
/// Typed reads of one key of a mapping. Each returns null when the key is absent (the caller applies its default)
/// or when the value is wrong (then an error has been reported and the whole config is rejected anyway).
/// </summary>
internal static class Fields
{
    public static string? ReadPattern(this MappingReader m, string key, Regex pattern, string expected, bool required)
    {
        var node = required ? m.Required(key, expected) : m.Value(key);
        return node is null ? null : Pattern(node, m.Field(key), m.Diagnostics, pattern, expected);
    }

    private static string? Pattern(YamlNode node, string field, Diagnostics diagnostics, Regex pattern, string expected)
    {
        var text = Scalars.Text(node, field, diagnostics, expected);
        if (text is null || pattern.IsMatch(text))
        {
            return text;
        }

        Scalars.ReportInvalid(node, field, diagnostics, expected);
        return null;
    }

    /// <summary>Text that is not blank; line breaks are allowed (shell commands may span lines).</summary>
    public static string? ReadText(this MappingReader m, string key, bool required)
    {
        const string expected = "a non-empty text";
        var node = required ? m.Required(key, expected) : m.Value(key);
        var text = node is null ? null : Scalars.Text(node, m.Field(key), m.Diagnostics, expected);
        if (text is not null && text.Trim().Length == 0)
        {
            Scalars.ReportInvalid(node!, m.Field(key), m.Diagnostics, expected);
            return null;
        }

        return text;
    }

    public static long? ReadInteger(this MappingReader m, string key, long min, long max, bool required = false)
    {
        var expected = $"an integer between {min} and {max}";
        var node = required ? m.Required(key, expected) : m.Value(key);
        if (node is null)
        {
            return null;
        }

        var text = Scalars.Text(node, m.Field(key), m.Diagnostics, expected);
        if (text is null)
        {
            return null;
        }

        if (Formats.TryParseInteger(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Scalars.ReportInvalid(node, m.Field(key), m.Diagnostics, expected);
        return null;
    }

    public static bool? ReadBoolean(this MappingReader m, string key)
    {
        const string expected = "true or false";
        var node = m.Value(key);
        var text = node is null ? null : Scalars.Text(node, m.Field(key), m.Diagnostics, expected);
        if (text is null)
        {
            return null;
        }

        if (Formats.TryParseBoolean(text, out var value))
        {
            return value;
        }

        Scalars.ReportInvalid(node!, m.Field(key), m.Diagnostics, expected);
        return null;
    }

    /// <summary>A duration between <paramref name="min"/> and 24h; the message names the accepted forms.</summary>
    public static TimeSpan? ReadDuration(this MappingReader m, string key, TimeSpan min)
    {
        var range = $"between {Formats.FormatDuration(min)} and {Formats.FormatDuration(Formats.MaxDuration)}";
        var node = m.Value(key);
        var text = node is null ? null : Scalars.Text(node, m.Field(key), m.Diagnostics, $"a duration such as {Formats.DurationForms}");
        if (text is null)
        {
            return null;
        }

        if (!Formats.TryParseDuration(text, out var value))
        {
            Scalars.ReportInvalid(node!, m.Field(key), m.Diagnostics, $"a duration such as {Formats.DurationForms}");
            return null;
        }

        if (value < min || value > Formats.MaxDuration)
        {
            Scalars.ReportInvalid(node!, m.Field(key), m.Diagnostics, $"a duration {range}");
            return null;
        }

        return value;
    }

    public static string? ReadChoice(this MappingReader m, string key, IReadOnlyList<string> choices, bool required)
    {
        var expected = Choices(choices);
        var node = required ? m.Required(key, expected) : m.Value(key);
        var text = node is null ? null : Scalars.Text(node, m.Field(key), m.Diagnostics, expected);
        if (text is null)
        {
            return null;
        }

        if (choices.Contains(text))
        {
            return text;
        }

        Scalars.ReportInvalid(node!, m.Field(key), m.Diagnostics, expected);
        return null;
    }

    public static string Choices(IReadOnlyList<string> choices) => choices.Count switch
    {
        1 => choices[0],
        2 => $"{choices[0]} or {choices[1]}",
        _ => $"one of {string.Join(", ", choices)}",
    };

    /// <summary>A literal IP address, returned in canonical form so that equal addresses compare equal.</summary>
    public static IPAddress? Address(YamlNode node, string field, Diagnostics diagnostics)
    {
        const string expected = "an IPv4 or IPv6 address";
        var text = Scalars.Text(node, field, diagnostics, expected);
        if (text is null)
        {
            return null;
        }

        if (Formats.TryParseAddress(text, out var address))
        {
            return address;
        }

        Scalars.ReportInvalid(node, field, diagnostics, expected);
        return null;
    }

    public static string Line(YamlNode node) => node.Start.Line.ToString(CultureInfo.InvariantCulture);
}
