using System.CommandLine;
using System.CommandLine.Parsing;
using Palisade.Cli.Parsing;

namespace Palisade.Cli;

/// <summary>
/// Every command of <c>palisade</c>: parsing, help, usage errors and completion come from each command's declaration.
/// Only the command a line names is declared in full; the others stand as their name and summary, which is all the
/// top-level help, completion and errors need, and keeps the start quick.
/// </summary>
internal static class PalisadeCommand
{
    public const string Description = """
        Palisade's operator command. The group, monitor, node and maintenance actions take --dry-run: the orders the
        coordinator would give, nothing sent. Environment: PALISADE_SOCKET overrides the control socket
        (/run/palisade/palisaded.sock). Exit codes: 0 success, 1 failure (the reason on stderr), 2 usage error.
        """;

    /// <summary>The commands in help order: name, one-line summary, full declaration.</summary>
    public static readonly (string Name, string Summary, Func<Command> Declare)[] Commands =
    [
        ("status", StatusCommand.Summary, StatusCommand.Declare),
        ("group", GroupCommand.Summary, GroupCommand.Declare),
        ("monitor", MonitorCommand.Summary, MonitorCommand.Declare),
        ("node", NodeCommand.Summary, NodeCommand.Declare),
        ("maintenance", MaintenanceCommand.Summary, MaintenanceCommand.Declare),
        ("notify", NotifyCommand.Summary, NotifyCommand.Declare),
        ("clprexec", ClprexecCommand.Summary, ClprexecCommand.Declare),
        ("events", EventsCommand.Summary, EventsCommand.Declare),
        ("sd", SdCommand.Summary, SdCommand.Declare),
        ("config", ConfigCommand.Summary, ConfigCommand.Declare),
        ("cluster", ClusterCommand.Summary, ClusterCommand.Declare),
        ("lab", LabCommand.Summary, LabCommand.Declare),
        ("demo", LabCommand.DemoSummary, LabCommand.Demo),
    ];

    /// <summary>The root with the command <paramref name="args"/> names declared in full (every command when null).</summary>
    public static RootCommand Declare(IReadOnlyList<string>? args = null)
    {
        var named = args is null ? null : Named(args);
        var root = new RootCommand(Description);
        foreach (var (name, summary, declare) in Commands)
        {
            root.Subcommands.Add(named is null || named == name ? declare() : new Command(name, summary));
        }

        CommandLineRunner.AddHelp(root);
        return root;
    }

    /// <summary>The command word of a command line, or of the line a <c>[suggest]</c> directive completes.</summary>
    private static string? Named(IReadOnlyList<string> args)
    {
        if (args is [var directive, var line, ..] && directive.StartsWith("[suggest", StringComparison.Ordinal))
        {
            var words = CommandLineParser.SplitCommandLine(line).ToList();
            return words.Count > 1 ? words[1] : "";
        }

        return args.FirstOrDefault(a => !a.StartsWith('-')) ?? "";
    }
}
