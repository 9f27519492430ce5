using Palisade.Configuration.Reading;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration;

/// <summary>Reads and validates the cluster YAML file, reporting every problem with its place.</summary>
public static class ConfigLoader
{
    /// <summary>Field name used for problems that concern the file or the document as a whole.</summary>
    internal const string DocumentField = "(document)";

    internal const string FileField = "(file)";

    public static ConfigLoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var error = new ConfigError(path, 0, 0, FileField, $"cannot read the file: {e.Message}");
            return new ConfigLoadResult(null, [error]);
        }

        return Parse(text, path);
    }

    public static ConfigLoadResult Parse(string yaml, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        var diagnostics = new Diagnostics(sourceName);
        var root = LoadSingleDocument(yaml, diagnostics);
        if (root is null)
        {
            return new ConfigLoadResult(null, diagnostics.Sorted());
        }

        var config = ClusterReader.Read(root, diagnostics);
        if (config is null || diagnostics.Count > 0)
        {
            return new ConfigLoadResult(null, diagnostics.Sorted());
        }

        return new ConfigLoadResult(config with { SourcePath = sourceName }, []);
    }

    private static YamlNode? LoadSingleDocument(string yaml, Diagnostics diagnostics)
    {
        var scanner = new Scanner(new StringReader(yaml));
        var parser = new Parser(scanner);
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            diagnostics.Report(e.Start, DocumentField, $"invalid YAML: {e.Message}");
            return null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // Some malformed input makes the library fail without a YamlException; where it stopped is the best mark.
            var mark = parser.Current?.Start ?? scanner.CurrentPosition;
            diagnostics.Report(mark, DocumentField, "invalid YAML: the text cannot be parsed past this point");
            return null;
        }

        if (stream.Documents.Count == 0)
        {
            diagnostics.Report(new Mark(1, 1, 1), DocumentField, "the file is empty; expected a mapping with the keys cluster, nodes and groups");
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            diagnostics.Report(stream.Documents[1].RootNode, DocumentField, "expected a single YAML document, found a second one");
            return null;
        }

        return stream.Documents[0].RootNode;
    }
}
