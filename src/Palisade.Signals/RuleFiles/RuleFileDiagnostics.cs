using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Palisade.Signals;

/// <summary>Collects the problems of one rule file, each at the mark of the YAML node it concerns.</summary>
internal sealed class RuleFileDiagnostics(string file)
{
    private readonly List<RuleFileError> errors = [];

    public string File => file;

    public IReadOnlyList<RuleFileError> Errors => errors;

    public void Report(YamlNode node, string field, string message) => Report(node.Start, field, message);

    public void Report(Mark mark, string field, string message) =>
        errors.Add(new RuleFileError(file, (int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), field, message));

    /// <summary>How a node is named after "got" in a message.</summary>
    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s when IsEmpty(s) => "an empty value",
        YamlScalarNode s => $"'{Shorten(s.Value ?? "")}'",
        _ => "an alias",
    };

    /// <summary>A plain empty value, <c>~</c> or <c>null</c>: YAML's null.</summary>
    public static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } s && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public static string Shorten(string text)
    {
        var shown = new string([.. text.Take(60).Select(c => char.IsControl(c) ? '?' : c)]);
        return text.Length > 60 ? shown + "..." : shown;
    }
}
