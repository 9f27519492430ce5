using System.CommandLine;
using System.CommandLine.Parsing;

namespace Palisade.Cli.Parsing;

/// <summary>
/// A command line that does not parse, said the way an operator reads it: each problem on its own line, naming the
/// command and the bad word, then where the command's help is. Unknown words come first.
/// </summary>
internal static class UsageErrors
{
    public static void Write(ParseResult result, TextWriter stderr)
    {
        var command = result.CommandResult.Command;
        var path = CommandPath(result.CommandResult);
        var lines = new List<string>();
        if (result.UnmatchedTokens is [var first, ..])
        {
            // The first unknown word says it; what follows from it (a missing subcommand, the words after it) does not.
            lines.Add(Unknown(command, path, first));
        }
        else
        {
            lines.AddRange(result.Errors.Select(e => Prefix(path) + e.Message));
        }

        foreach (var line in lines)
        {
            stderr.WriteLine($"palisade: {line}");
        }

        if (!lines.Any(l => l.EndsWith("--help')", StringComparison.Ordinal)))
        {
            stderr.WriteLine(Hint(path));
        }
    }

    /// <summary>Where to read more: "see 'palisade group move --help'".</summary>
    public static string Hint(string path) => $"(see 'palisade {(path.Length == 0 ? "" : path + " ")}--help')";

    /// <summary>The words between "palisade" and the command, e.g. "group move".</summary>
    public static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult c && c.Parent is not null; r = r.Parent)
        {
            names.Insert(0, c.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static string Prefix(string path) => path.Length == 0 ? "" : path + ": ";

    private static string Unknown(Command command, string path, string token)
    {
        if (token.StartsWith('-') && token.Length > 1)
        {
            return $"{Prefix(path)}unknown option '{token}' {Hint(path)}";
        }

        var subcommands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (subcommands.Count > 0 && command.Arguments.Count == 0)
        {
            return $"{Prefix(path)}unknown command '{token}' (expected one of: {string.Join(", ", subcommands)})";
        }

        return $"{Prefix(path)}unexpected argument '{token}' {Hint(path)}";
    }
}
