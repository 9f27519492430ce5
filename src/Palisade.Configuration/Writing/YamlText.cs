using System.Globalization;
using System.Text;

namespace Palisade.Configuration.Writing;

/// <summary>Spells strings as YAML scalars: plain when that reads back as the same string, double-quoted otherwise.</summary>
internal static class YamlText
{
    private const string Indicators = "-?:,[]{}#&*!|>'\"%@`";
    private const string FlowIndicators = ",[]{}:";

    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    };

    /// <param name="inFlow">Inside <c>[...]</c>, where commas and brackets end a plain scalar.</param>
    public static string Scalar(string value, bool inFlow = false) => CanBePlain(value, inFlow) ? value : Quoted(value);

    private static bool CanBePlain(string value, bool inFlow)
    {
        if (value.Length == 0 || Reserved.Contains(value) || Indicators.Contains(value[0], StringComparison.Ordinal))
        {
            return false;
        }

        if (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1]) || value.EndsWith(':'))
        {
            return false;
        }

        if (value.Contains(": ", StringComparison.Ordinal) || value.Contains(" #", StringComparison.Ordinal))
        {
            return false;
        }

        return value.All(c => c is >= ' ' and <= '~' && !(inFlow && FlowIndicators.Contains(c, StringComparison.Ordinal)));
    }

    private static string Quoted(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                '\0' => "\\0",
                // Line and paragraph separators and other invisible controls would change the text when read back.
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF'
                    => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
