using System.CommandLine;
using System.CommandLine.Invocation;
using System.Text;

namespace Palisade.Cli.Parsing;

/// <summary>
/// <c>--help</c>: a command's usage line, description, arguments, options and subcommands, written from its
/// declaration (plain text, no localized resources: it is what a start-up cost is paid for most often).
/// </summary>
internal sealed class HelpText : SynchronousCommandLineAction
{
    private const int MaxLabel = 32;

    /// <summary>Help is shown even when the rest of the line does not parse (a missing argument, say).</summary>
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Output.Write(Render(parseResult.CommandResult.Command, UsageErrors.CommandPath(parseResult.CommandResult)));
        return 0;
    }

    public static string Render(Command command, string path)
    {
        var arguments = command.Arguments.Where(a => !a.Hidden).ToList();
        var options = command.Options.Where(o => !o.Hidden).OrderBy(o => o.Name == "--help").ToList();
        var subcommands = command.Subcommands.Where(c => !c.Hidden).ToList();
        var text = new StringBuilder("usage: palisade");
        if (path.Length > 0)
        {
            text.Append(' ').Append(path);
        }

        if (subcommands.Count > 0)
        {
            text.Append(" COMMAND");
        }

        foreach (var argument in arguments)
        {
            text.Append(' ').Append(Label(argument));
        }

        if (options.Any(o => o.Name != "--help"))
        {
            text.Append(" [OPTIONS]");
        }

        text.Append("\n\n");
        Indented(text, command.Description ?? "", "  ");
        Section(text, "Arguments", arguments.Select(a => (Label(a), a.Description)));
        Section(text, "Options", options.Select(o => (Label(o), o.Description)));
        Section(text, "Commands", subcommands.Select(c => (string.Join(' ', [c.Name, .. c.Arguments.Where(a => !a.Hidden).Select(Label)]), c.Description)));
        return text.ToString();
    }

    private static string Label(Argument argument)
    {
        var name = argument.HelpName ?? argument.Name;
        var label = argument.Arity.MaximumNumberOfValues > 1 && !name.EndsWith("...]", StringComparison.Ordinal) ? name + "..." : name;
        return argument.Arity.MinimumNumberOfValues == 0 ? $"[{label}]" : label;
    }

    private static string Label(Option option)
    {
        var names = string.Join(", ", option.Aliases.Append(option.Name).OrderBy(n => n.StartsWith("--", StringComparison.Ordinal)));
        if (option.Arity.MaximumNumberOfValues == 0)
        {
            return names;
        }

        var value = option.HelpName ?? "VALUE";
        return option.Arity.MinimumNumberOfValues == 0 ? $"{names} [{value}]" : $"{names} {value}";
    }

    private static void Section(StringBuilder text, string title, IEnumerable<(string Label, string? Description)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        text.Append('\n').Append(title).Append(":\n");
        var width = Math.Min(MaxLabel, list.Max(r => r.Label.Length)) + 2;
        foreach (var (label, description) in list)
        {
            text.Append("  ").Append(label);
            if (label.Length >= width)
            {
                text.Append('\n').Append(' ', width + 2);
            }
            else
            {
                text.Append(' ', width - label.Length);
            }

            Indented(text, description ?? "", new string(' ', width + 2), first: false);
        }
    }

    /// <summary>Each line of <paramref name="text"/> indented (the first too unless <paramref name="first"/> is false).</summary>
    private static void Indented(StringBuilder output, string text, string indent, bool first = true)
    {
        var lines = text.TrimEnd().Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            output.Append(i == 0 && !first ? "" : indent).Append(lines[i].TrimEnd()).Append('\n');
        }
    }
}
