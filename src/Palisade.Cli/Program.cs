namespace Palisade.Cli;

internal static class Program
{
    public const string Usage = """
        usage: palisade COMMAND ...

          status [--output text|json]               cluster, nodes, groups and resources (this node marked *)
          group start|stop GROUP                    start or stop a group
          group move GROUP [--to NODE]              move a group cleanly to NODE (default: next healthy node)
          group cleanup GROUP [--node NODE]         forget the group's failures (on NODE only) and reset its monitors' recovery counters
          monitor list [--output text|json]         every monitor: status per node, recovery counters, last reason
          monitor suspend|resume|clear NAME [--node NODE]
                                                    stop or restart watching a monitor; clear its error and counters
          node standby|online NODE                  keep groups off NODE (they move away; it stays a member) or let them back
          maintenance on|off                        hands off every group (nothing started, stopped, recovered or fenced;
                                                    palisaded may stop and start while groups keep running), or back on
          (group, monitor, node and maintenance actions take --dry-run: the orders the coordinator would give, nothing sent)
          notify --category C [--keyword K] [--severity error|warning|clear] [--text T] [--node N] [--id ID]
                                                    hand a hardware or management message to this node's palisaded
          clprexec --notice|--clear|--failover|--script ... [-h HOST]
                                                    CLUSTERPRO's request forms (also installed as 'clprexec')
          events [--follow] [--node N] [--output text|json]
                                                    the messages this node accepted (its journal)
          sd -s|-b|-e|-r|-C|-d|-k|--history|--confirm-down|--test-now
                                                    the shutdown daemon and fencing (palisade sd --help; also 'sdtool')
          config validate FILE                      check a cluster file; every problem as file:line:column
          config corosync FILE [--output PATH]      write the corosync.conf matching a cluster file
          config authkey [--output PATH] [--force]  a new corosync authkey (default /etc/corosync/authkey, mode 0400)
          config agents                             every shutdown agent type and its parameters
          cluster setup FILE [--print | --ssh]      the authkey, corosync.conf and cluster file for every node, and the
                                                    ssh/scp commands that install them (palisade cluster --help)
          lab up|down|status|exec|power|...         the one-machine lab (palisade lab --help)
          lab chaos [--runs N] [--seed S]           random fault schedules against a lab, each audited
          demo [--keep] [--config FILE]             lab + power off the node serving a web service, narrated

        Environment: PALISADE_SOCKET overrides the control socket (/run/palisade/palisaded.sock).
        """;

    public static async Task<int> Main(string[] args)
    {
        LabAssemblies.Install();
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.Out.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            return args[0] switch
            {
                "status" => await StatusCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false),
                "group" => await GroupCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false),
                "monitor" => await MonitorCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false),
                "node" => await NodeCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false),
                "maintenance" => await MaintenanceCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false),
                "notify" => await NotifyCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false),
                "clprexec" when args.Length == 2 && args[1] is "--help" => Help(ClprexecCommand.Usage),
                "clprexec" => await ClprexecCommand.RunAsync(args[1..], Console.Out).ConfigureAwait(false),
                "events" => await EventsCommand.RunAsync(args[1..], Console.Out, CancellationToken.None).ConfigureAwait(false),
                "sd" when args.Length == 2 && args[1] is "-h" or "--help" => Help(SdCommand.Usage),
                "sd" => await SdCommand.RunAsync(args[1..], Console.Out, Console.In, !Console.IsInputRedirected).ConfigureAwait(false),
                "config" => ConfigCommand.Run(args[1..], Console.Out, Console.Error),
                "cluster" when args.Length == 2 && args[1] is "-h" or "--help" => Help(ClusterCommand.Usage),
                "cluster" => await ClusterCommand.RunAsync(args[1..], Console.Out, Console.Error).ConfigureAwait(false),
                "demo" => await LabCommands.DemoAsync(args[1..]).ConfigureAwait(false),
                "lab" when args.Length > 1 && args[1] == "chaos" => await LabCommands.ChaosAsync(args[2..]).ConfigureAwait(false),
                "lab" => await LabCommands.LabAsync(args[1..]).ConfigureAwait(false),
                _ => UsageError($"unknown command '{args[0]}'"),
            };
        }
        catch (UsageException ex)
        {
            return UsageError(ex.Message);
        }
        catch (IOException ex)
        {
            await Console.Error.WriteLineAsync($"palisade: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static int Help(string usage)
    {
        Console.Out.WriteLine(usage);
        return 0;
    }

    private static int UsageError(string message)
    {
        Console.Error.WriteLine($"palisade: {message}");
        Console.Error.WriteLine(Usage);
        return 2;
    }
}

/// <summary>A command line that does not fit the usage.</summary>
internal sealed class UsageException(string message) : Exception(message);
