using System.Text;
using System.Text.RegularExpressions;

namespace Palisade.Signals;

/// <summary>A rule's keyword or text: literal text in which <c>${name}</c> stands for what the pattern's group captured.</summary>
internal static class RuleTemplate
{
    /// <summary>Why <paramref name="template"/> cannot be expanded with <paramref name="pattern"/>'s groups, or null.</summary>
    public static string? Problem(string template, Regex pattern)
    {
        for (var i = template.IndexOf("${", StringComparison.Ordinal); i >= 0; i = template.IndexOf("${", i + 2, StringComparison.Ordinal))
        {
            var end = template.IndexOf('}', i + 2);
            if (end < 0)
            {
                return $"'${{' at character {i + 1} is not closed with '}}'";
            }

            var name = template[(i + 2)..end];
            if (pattern.GroupNumberFromName(name) < 0)
            {
                var groups = pattern.GetGroupNames().Where(g => !int.TryParse(g, out _)).ToList();
                return groups.Count == 0
                    ? $"'${{{name}}}' names no group of the pattern (it has no named groups)"
                    : $"'${{{name}}}' names no group of the pattern (groups: {string.Join(", ", groups)})";
            }
        }

        return null;
    }

    /// <summary>The template with every <c>${name}</c> replaced by the group's capture (empty when the group did not take part).</summary>
    public static string Expand(string template, Match match)
    {
        var text = new StringBuilder(template.Length);
        var at = 0;
        for (var i = template.IndexOf("${", StringComparison.Ordinal); i >= 0; i = template.IndexOf("${", at, StringComparison.Ordinal))
        {
            var end = template.IndexOf('}', i + 2);
            if (end < 0)
            {
                break;
            }

            text.Append(template, at, i - at).Append(match.Groups[template[(i + 2)..end]].Value);
            at = end + 1;
        }

        return text.Append(template, at, template.Length - at).ToString();
    }
}
