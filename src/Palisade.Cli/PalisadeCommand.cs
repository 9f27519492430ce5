using System.CommandLine;
using Palisade.Cli.Parsing;

namespace Palisade.Cli;

/// <summary>Every command of <c>palisade</c>, declared once: parsing, help, usage errors and completion come from here.</summary>
internal static class PalisadeCommand
{
    public const string Description = """
        Palisade's operator command. The group, monitor, node and maintenance actions take --dry-run: the orders the
        coordinator would give, nothing sent. Environment: PALISADE_SOCKET overrides the control socket
        (/run/palisade/palisaded.sock). Exit codes: 0 success, 1 failure (the reason on stderr), 2 usage error.
        """;

    public static RootCommand Declare()
    {
        var root = new RootCommand(Description)
        {
            StatusCommand.Declare(),
            GroupCommand.Declare(),
            MonitorCommand.Declare(),
            NodeCommand.Declare(),
            MaintenanceCommand.Declare(),
            NotifyCommand.Declare(),
            ClprexecCommand.Declare(),
            EventsCommand.Declare(),
            SdCommand.Declare(),
            ConfigCommand.Declare(),
            ClusterCommand.Declare(),
            LabCommand.Declare(),
            LabCommand.Demo(),
        };
        CommandLineRunner.AddHelp(root);
        return root;
    }
}
