using System.Collections.Immutable;

namespace Palisade.Signals;

/// <summary>
/// The rules of one or more rule files, in file order, and every problem found in them. A rule with a problem is
/// left out; the others are usable. Loading never throws for bad input.
/// </summary>
public sealed class RuleSet
{
    private RuleSet(ImmutableArray<LogRule> rules, ImmutableArray<RuleFileError> errors)
    {
        Rules = rules;
        Errors = errors;
    }

    public ImmutableArray<LogRule> Rules { get; }

    /// <summary>Every problem, in file order, then line order within a file.</summary>
    public ImmutableArray<RuleFileError> Errors { get; }

    public bool Ok => Errors.IsEmpty;

    /// <summary>Reads rule files from their text. Rule names must be unique across all of them.</summary>
    public static RuleSet Parse(IEnumerable<RuleFileText> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var rules = ImmutableArray.CreateBuilder<LogRule>();
        var errors = ImmutableArray.CreateBuilder<RuleFileError>();
        foreach (var file in files)
        {
            var (fileRules, fileErrors) = RuleFileReader.Read(file, names);
            rules.AddRange(fileRules);
            errors.AddRange(fileErrors.OrderBy(e => e.Line).ThenBy(e => e.Column));
        }

        return new RuleSet(rules.ToImmutable(), errors.ToImmutable());
    }

    /// <summary>Reads one rule file from its text.</summary>
    public static RuleSet Parse(string file, string yaml) => Parse([new RuleFileText(file, yaml)]);

    /// <summary>Reads rule files from disk, in the order given; a file that cannot be read is an error of that file.</summary>
    public static RuleSet LoadFiles(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var texts = new List<RuleFileText>();
        var unreadable = new List<RuleFileError>();
        foreach (var path in paths)
        {
            try
            {
                texts.Add(new RuleFileText(path, File.ReadAllText(path)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                unreadable.Add(new RuleFileError(path, 1, 1, RuleFileReader.DocumentField, $"cannot read the file: {e.Message}"));
            }
        }

        var set = Parse(texts);
        return unreadable.Count == 0 ? set : new RuleSet(set.Rules, [.. unreadable, .. set.Errors]);
    }

    /// <summary>Reads every <c>*.yaml</c> and <c>*.yml</c> file of a directory, in name order.</summary>
    public static RuleSet LoadDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            var paths = Directory.EnumerateFiles(directory)
                .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);
            return LoadFiles([.. paths]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new RuleSet([], [new RuleFileError(directory, 1, 1, RuleFileReader.DocumentField, $"cannot read the directory: {e.Message}")]);
        }
    }
}
