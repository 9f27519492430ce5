using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>One YAML mapping being read: gives access to its values by key and reports keys nobody asked for.</summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> entries = new(StringComparer.Ordinal);

    private MappingReader(YamlMappingNode node, string path, Diagnostics diagnostics)
    {
        Node = node;
        Path = path;
        Diagnostics = diagnostics;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Value: { } name } scalarKey)
            {
                // The YAML library tells keys apart by tag too (`!!str a` is not `a`); here only the text counts.
                if (!entries.TryAdd(name, (scalarKey, value)))
                {
                    diagnostics.Report(key, Field(name), $"duplicate key '{Scalars.Printable(name)}' (also at line {Fields.Line(entries[name].Key)})");
                }
            }
            else
            {
                diagnostics.Report(key, Field("?"), $"expected a plain text key, got {Scalars.Describe(key)}");
            }
        }
    }

    public YamlMappingNode Node { get; }

    public string Path { get; }

    public Diagnostics Diagnostics { get; }

    /// <summary>Keys in the order they appear in the file.</summary>
    public IEnumerable<(string Name, YamlScalarNode Key, YamlNode Value)> Entries =>
        entries.Select(e => (Name: e.Key, e.Value.Key, e.Value.Value)).OrderBy(e => e.Key.Start.Index);

    /// <summary>Returns a reader, or reports what was expected and returns null when the node is not a mapping.</summary>
    public static MappingReader? Open(YamlNode node, string path, Diagnostics diagnostics, string expected)
    {
        if (node is YamlMappingNode mapping)
        {
            return new MappingReader(mapping, path, diagnostics);
        }

        diagnostics.Report(node, Display(path), $"expected {expected}, got {Scalars.Describe(node)}");
        return null;
    }

    public static string Display(string path) => path.Length == 0 ? ConfigLoader.DocumentField : path;

    public string Field(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public bool Has(string key) => entries.ContainsKey(key);

    public YamlScalarNode? KeyNode(string key) => entries.TryGetValue(key, out var e) ? e.Key : null;

    /// <summary>The value under <paramref name="key"/>, or null when the key is absent or its value is YAML null.</summary>
    public YamlNode? Value(string key) =>
        entries.TryGetValue(key, out var e) && !Scalars.IsNull(e.Value) ? e.Value : null;

    /// <summary>Like <see cref="Value"/>, but a missing value is reported as an error.</summary>
    public YamlNode? Required(string key, string expected)
    {
        var value = Value(key);
        if (value is null)
        {
            ReportMissing(key, expected);
        }

        return value;
    }

    public void ReportMissing(string key, string expected)
    {
        // A key written with an empty value is reported at the value; a key not written at all, at the mapping.
        var where = entries.TryGetValue(key, out var e) ? e.Value : Node;
        Diagnostics.Report(where, Field(key), $"required; expected {expected}");
    }

    /// <summary>Reports every key that is not in <paramref name="known"/>, with a suggestion when one is close.</summary>
    public void RejectUnknown(IReadOnlyList<string> known)
    {
        foreach (var (name, key, _) in Entries)
        {
            if (!known.Contains(name))
            {
                Diagnostics.Report(key, Field(name), UnknownKeyMessage("key", name, known));
            }
        }
    }

    public static string UnknownKeyMessage(string what, string name, IReadOnlyList<string> known)
    {
        var suggestion = Suggestions.Closest(name, known);
        return suggestion is not null
            ? $"unknown {what} '{Scalars.Printable(name)}' (did you mean '{suggestion}'?)"
            : $"unknown {what} '{Scalars.Printable(name)}' (expected one of: {string.Join(", ", known)})";
    }
}
