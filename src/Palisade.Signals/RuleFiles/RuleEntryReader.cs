using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Palisade.Core.Messages;
using YamlDotNet.RepresentationModel;

namespace Palisade.Signals;

/// <summary>Reads one entry of a rule file's <c>rules</c> list into a <see cref="LogRule"/>, reporting every problem.</summary>
internal sealed partial class RuleEntryReader
{
    public const int MaxCount = 1000;
    private const int MaxNameLength = 100;

    private static readonly string[] Keys = ["name", "pattern", "category", "severity", "keyword", "text", "count", "within"];

    private readonly Dictionary<string, (YamlScalarNode Key, YamlScalarNode Value)> values = new(StringComparer.Ordinal);
    private readonly YamlMappingNode entry;
    private readonly string path;
    private readonly RuleFileDiagnostics diagnostics;

    private RuleEntryReader(YamlMappingNode entry, string path, RuleFileDiagnostics diagnostics)
    {
        this.entry = entry;
        this.path = path;
        this.diagnostics = diagnostics;
    }

    /// <summary>The rule, or null when the entry has any problem (all of them reported).</summary>
    /// <param name="names">Rule names already taken (name to "file:line"); this rule's name is added.</param>
    public static LogRule? Read(YamlNode node, string path, RuleFileDiagnostics diagnostics, Dictionary<string, string> names)
    {
        if (node is not YamlMappingNode entry)
        {
            diagnostics.Report(node, path, $"expected a rule (a mapping with name, pattern, category and severity), got {RuleFileDiagnostics.Describe(node)}");
            return null;
        }

        var before = diagnostics.Errors.Count;
        var reader = new RuleEntryReader(entry, path, diagnostics);
        reader.ReadValues();
        var name = reader.Name(names);
        var pattern = reader.Pattern();
        var category = reader.Category();
        var severity = reader.Severity();
        var keyword = reader.Template("keyword", pattern);
        var text = reader.Template("text", pattern);
        var (count, within) = reader.Counting();
        if (diagnostics.Errors.Count > before || name is null || pattern is null || category is null || severity is null)
        {
            return null;
        }

        return new LogRule(name, pattern, category, severity.Value, keyword, text, count, within, diagnostics.File, (int)entry.Start.Line);
    }

    private string Field(string key) => $"{path}.{key}";

    /// <summary>Collects the entry's text values by key; reports unknown keys and values that are not text.</summary>
    private void ReadValues()
    {
        foreach (var (keyNode, valueNode) in entry.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey || !Keys.Contains(key))
            {
                var shown = keyNode is YamlScalarNode { Value: { } k } ? RuleFileDiagnostics.Shorten(k) : "?";
                diagnostics.Report(keyNode, Field(shown), $"unknown key (expected one of: {string.Join(", ", Keys)})");
            }
            else if (valueNode is not YamlScalarNode value)
            {
                diagnostics.Report(valueNode, Field(key), $"expected text, got {RuleFileDiagnostics.Describe(valueNode)}");
            }
            else if (!RuleFileDiagnostics.IsEmpty(value))
            {
                values[key] = (scalarKey, value);
            }
        }
    }

    private string? Required(string key, string expected)
    {
        if (values.TryGetValue(key, out var found))
        {
            return found.Value.Value;
        }

        // A key written with an empty value is reported there; a key not written at all, at the entry; a value
        // that is not text was reported already.
        var written = entry.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var k } && k == key).Value;
        if (written is null || RuleFileDiagnostics.IsEmpty(written))
        {
            diagnostics.Report(written ?? entry, Field(key), $"required: {expected}");
        }

        return null;
    }

    private string? Name(Dictionary<string, string> names)
    {
        var name = Required("name", "the rule's name");
        if (name is null)
        {
            return null;
        }

        var node = values["name"].Value;
        if (!NameShape().IsMatch(name))
        {
            diagnostics.Report(node, Field("name"), $"'{RuleFileDiagnostics.Shorten(name)}' is not a rule name: use letters, digits, '.', '_' and '-' "
                + $"(at most {MaxNameLength}, starting with a letter or digit)");
            return null;
        }

        if (!names.TryAdd(name, $"{diagnostics.File}:{node.Start.Line}"))
        {
            diagnostics.Report(node, Field("name"), $"another rule is already named '{name}' ({names[name]})");
            return null;
        }

        return name;
    }

    private Regex? Pattern()
    {
        var text = Required("pattern", "a .NET regular expression matched against the message");
        if (text is null)
        {
            return null;
        }

        try
        {
            return new Regex(text, LogRule.PatternOptions);
        }
        catch (ArgumentException e)
        {
            diagnostics.Report(values["pattern"].Value, Field("pattern"), $"not a usable regular expression: {e.Message}");
            return null;
        }
        catch (NotSupportedException e)
        {
            diagnostics.Report(values["pattern"].Value, Field("pattern"), "not a usable regular expression: rule patterns run in linear time, "
                + $"without lookarounds, backreferences, atomic groups or conditionals ({e.Message})");
            return null;
        }
    }

    private string? Category()
    {
        var category = Required("category", $"the message category ({string.Join(", ", ExternalNoticeRules.BuiltInCategories)} or one the cluster adds)");
        if (category is null)
        {
            return null;
        }

        var bytes = Encoding.UTF8.GetByteCount(category);
        if (bytes > ExternalNoticeRules.MaxCategoryBytes || category.Any(char.IsControl))
        {
            diagnostics.Report(values["category"].Value, Field("category"),
                $"a category is at most {ExternalNoticeRules.MaxCategoryBytes} bytes of text without control characters (this one is {bytes} bytes)");
            return null;
        }

        return category;
    }

    private NoticeSeverity? Severity()
    {
        var word = Required("severity", "error, warning or clear");
        NoticeSeverity? severity = word switch
        {
            "error" => NoticeSeverity.Error,
            "warning" => NoticeSeverity.Warning,
            "clear" => NoticeSeverity.Clear,
            _ => null,
        };
        if (word is not null && severity is null)
        {
            diagnostics.Report(values["severity"].Value, Field("severity"), $"unknown severity '{RuleFileDiagnostics.Shorten(word)}' (expected error, warning or clear)");
        }

        return severity;
    }

    private string? Template(string key, Regex? pattern)
    {
        if (!values.TryGetValue(key, out var found))
        {
            return null;
        }

        var template = found.Value.Value!;
        if (pattern is not null && RuleTemplate.Problem(template, pattern) is { } problem)
        {
            diagnostics.Report(found.Value, Field(key), problem);
        }

        return template;
    }

    private (int? Count, TimeSpan? Within) Counting()
    {
        int? count = null;
        TimeSpan? within = null;
        if (values.TryGetValue("count", out var c))
        {
            if (int.TryParse(c.Value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxCount)
            {
                count = n;
            }
            else
            {
                diagnostics.Report(c.Value, Field("count"), $"expected a whole number from 1 to {MaxCount}, got {RuleFileDiagnostics.Describe(c.Value)}");
            }

            if (!values.ContainsKey("within"))
            {
                diagnostics.Report(c.Key, Field("count"), "count needs within: the time the matches must fall in, like 60s");
            }
        }

        if (values.TryGetValue("within", out var w))
        {
            within = RuleDuration.Parse(w.Value.Value!);
            if (within is null)
            {
                diagnostics.Report(w.Value, Field("within"), $"expected {RuleDuration.Expected}, got {RuleFileDiagnostics.Describe(w.Value)}");
            }

            if (!values.ContainsKey("count"))
            {
                diagnostics.Report(w.Key, Field("within"), "within needs count: how many matches must fall in it");
            }
        }

        return (count, within);
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex NameShape();
}
