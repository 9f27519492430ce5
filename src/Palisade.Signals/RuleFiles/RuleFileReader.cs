using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Palisade.Signals;

/// <summary>Reads one rule file: a YAML mapping with one key, <c>rules</c>, a list of rule entries.</summary>
internal static class RuleFileReader
{
    public const string DocumentField = "(file)";

    /// <summary>The rules of <paramref name="file"/> that have no problem, and every problem found.</summary>
    /// <param name="names">Rule names taken by earlier files (name to "file:line"); this file's names are added.</param>
    public static (List<LogRule> Rules, IReadOnlyList<RuleFileError> Errors) Read(RuleFileText file, Dictionary<string, string> names)
    {
        var diagnostics = new RuleFileDiagnostics(file.File);
        var rules = new List<LogRule>();
        if (Root(file.Yaml, diagnostics) is { } root && RuleList(root, diagnostics) is { } list)
        {
            for (var i = 0; i < list.Children.Count; i++)
            {
                if (RuleEntryReader.Read(list.Children[i], $"rules[{i}]", diagnostics, names) is { } rule)
                {
                    rules.Add(rule);
                }
            }
        }

        return (rules, diagnostics.Errors);
    }

    private static YamlMappingNode? Root(string yaml, RuleFileDiagnostics diagnostics)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            diagnostics.Report(e.Start, DocumentField, $"invalid YAML: {YamlMessage(e)}");
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            diagnostics.Report(new Mark(1, 1, 1), DocumentField, $"invalid YAML: {e.Message}");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            diagnostics.Report(new Mark(1, 1, 1), DocumentField, "the file is empty; expected a mapping with a 'rules' list");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            diagnostics.Report(stream.Documents[1].RootNode, DocumentField, "a rule file holds one YAML document; this is a second one");
        }

        var root = stream.Documents[0].RootNode;
        if (root is YamlMappingNode mapping)
        {
            return mapping;
        }

        diagnostics.Report(root, DocumentField, $"expected a mapping with a 'rules' list, got {RuleFileDiagnostics.Describe(root)}");
        return null;
    }

    private static YamlSequenceNode? RuleList(YamlMappingNode root, RuleFileDiagnostics diagnostics)
    {
        YamlNode? rules = null;
        foreach (var (key, value) in root.Children)
        {
            if (key is YamlScalarNode { Value: "rules" })
            {
                rules = value;
            }
            else
            {
                var name = key is YamlScalarNode { Value: { } text } ? RuleFileDiagnostics.Shorten(text) : DocumentField;
                diagnostics.Report(key, name, "unknown key (a rule file has only 'rules')");
            }
        }

        switch (rules)
        {
            case null:
                diagnostics.Report(root, "rules", "required: the list of rules");
                return null;
            case YamlSequenceNode list:
                return list;
            case var empty when RuleFileDiagnostics.IsEmpty(empty):
                return new YamlSequenceNode();
            default:
                diagnostics.Report(rules, "rules", $"expected a list of rules, got {RuleFileDiagnostics.Describe(rules)}");
                return null;
        }
    }

    /// <summary>The library's message without the position it puts in front (the error carries it already).</summary>
    private static string YamlMessage(YamlException e)
    {
        var message = e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0 ? message[(cut + 3)..] : message;
    }
}
