using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Turns YAML nodes into plain text and describes nodes in messages, never showing a secret.</summary>
internal static class Scalars
{
    private const int MaxShown = 60;

    /// <summary>YAML's null: an empty plain value, <c>~</c> or <c>null</c>.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s
        && s.Value is "" or "~" or "null" or "Null" or "NULL" or null;

    /// <summary>How a node is shown after "got": the quoted text for a scalar, its kind otherwise.</summary>
    public static string Describe(YamlNode node, bool secret = false) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode { Children.Count: 0 } => "an empty list",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "an empty value",
        _ when secret => "a value that is not shown because it is secret",
        YamlScalarNode s => $"'{Printable(s.Value ?? "")}'",
        _ => "an unsupported YAML node",
    };

    /// <summary>Text safe to put in a one-line message: control characters escaped, long values shortened.</summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text)
        {
            if (builder.Length >= MaxShown)
            {
                builder.Append("...");
                break;
            }

            builder.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                '\'' => "\\'",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    public static bool HasControlCharacters(string text) => text.Any(char.IsControl);

    /// <summary>The text of a scalar node; reports and returns null for a list, a mapping or an empty value.</summary>
    public static string? Text(YamlNode node, string field, Diagnostics diagnostics, string expected, bool secret = false)
    {
        if (node is YamlScalarNode { Value: not null } scalar && !IsNull(node))
        {
            return scalar.Value;
        }

        ReportInvalid(node, field, diagnostics, expected, secret);
        return null;
    }

    public static void ReportInvalid(YamlNode node, string field, Diagnostics diagnostics, string expected, bool secret = false) =>
        diagnostics.Report(node, field, $"expected {expected}, got {Describe(node, secret)}");
}
