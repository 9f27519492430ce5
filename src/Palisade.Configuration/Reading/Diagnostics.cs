using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Collects every problem found while reading one file, each at the mark of the YAML node it concerns.</summary>
internal sealed class Diagnostics(string file)
{
    private readonly List<ConfigError> errors = [];

    public int Count => errors.Count;

    public void Report(YamlNode node, string field, string message) => Report(node.Start, field, message);

    public void Report(Mark mark, string field, string message) =>
        errors.Add(new ConfigError(file, checked((int)mark.Line), checked((int)mark.Column), field, message));

    /// <summary>Errors in document order; problems found by later cross-checks land where they occur in the file.</summary>
    public IReadOnlyList<ConfigError> Sorted() => [.. errors.OrderBy(e => e.Line).ThenBy(e => e.Column)];
}
