using System.CommandLine;
using Palisade.Cli.Parsing;

namespace Palisade.Cli;

/// <summary>
/// <c>palisade lab ...</c>, <c>lab chaos</c> and <c>demo</c>: declared here so that help and completion need no lab
/// assembly; each action hands its words to the lab (<see cref="LabCommands"/>), which says when it is not installed.
/// </summary>
internal static class LabCommand
{
    public const string DemoSummary = "a lab, then the node serving a web service powered off, narrated";

    public const string Summary = "the one-machine lab: real corosync nodes in network namespaces with simulated BMCs";

    /// <summary>Helpers the lab starts inside its namespaces: hidden, their words handed on as they are.</summary>
    private static readonly string[] Helpers = ["redfish-bmc", "kdump-announce", "watchdog"];

    public static Command Declare()
    {
        var command = new Command("lab", Summary)
        {
            Up(),
            Verb("down", "remove the lab: processes, namespaces, state (also after a crash)"),
            Status(),
            Exec(),
            Switch(),
            Verb("power", "power through the node's BMC over IPMI", Node(), CommonOptions.OneOf("ACTION", "what to do", "on", "off", "reset", "status")),
            Panic(),
            Verb("bmc", "take both BMCs of the node (IPMI, Redfish) off the network, or back", Node(), CommonOptions.OneOf("STATE", "down or up", "down", "up")),
            Cut(),
            Verb("split", "move these nodes' interconnect to a bridge of their own (a split into two parts)",
                new Argument<string[]>("NODES") { HelpName = "NODE[,NODE...]", Arity = ArgumentArity.OneOrMore, Description = "the nodes of the smaller part" }),
            Verb("heal", "bring both of the node's links up again, on the main interconnect", Node()),
            Verb("link", "set a link inside the node down or up: ic0 (interconnect), adm0 (admin), mon0 (spare, for nic monitors; mon0-peer down takes its carrier)",
                Node(), Interface(), CommonOptions.OneOf("STATE", "down or up", "down", "up")),
            NicFail(),
            Chaos(),
        };
        foreach (var helper in Helpers)
        {
            var hidden = new Command(helper, "started by the lab inside its namespaces; its words go to the lab as given")
            {
                Hidden = true,
                TreatUnmatchedTokensAsErrors = false,
            };
            hidden.SetAction(r => LabCommands.LabAsync([helper, .. r.UnmatchedTokens], r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
            command.Subcommands.Add(hidden);
        }

        return command;
    }

    public static Command Demo()
    {
        var keep = CommonOptions.Flag("--keep", "leave the lab up afterwards");
        var config = CommonOptions.Text("--config", "FILE", "the cluster file (default: the demo cluster)");
        var command = new Command("demo", DemoSummary) { keep, config };
        command.SetAction(r => LabCommands.DemoAsync(r.GetValue(keep), r.GetValue(config), r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static Argument<string> Node() => CommonOptions.Name("NODE", "the lab node (n1, n2, ...)");

    private static Argument<string> Interface()
    {
        var argument = CommonOptions.Name("IF", "the link inside the node");
        argument.CompletionSources.Add("ic0", "adm0", "mon0", "mon0-peer");
        return argument;
    }

    /// <summary>A lab verb whose words are its arguments, in order, then the options given.</summary>
    private static Command Verb(string name, string description, params Symbol[] symbols)
    {
        var command = new Command(name, description);
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        command.SetAction(r => LabCommands.LabAsync([name, .. Words(r, command)], r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>The lab's own words for a parsed verb: each argument's tokens, then each option given with its tokens.</summary>
    private static IEnumerable<string> Words(ParseResult r, Command command)
    {
        foreach (var argument in command.Arguments)
        {
            foreach (var token in r.GetResult(argument)?.Tokens ?? [])
            {
                yield return token.Value;
            }
        }

        foreach (var option in command.Options.Where(o => o.Name != "--help"))
        {
            if (r.GetResult(option) is { Implicit: false } given)
            {
                yield return option.Name;
                foreach (var token in given.Tokens)
                {
                    yield return token.Value;
                }
            }
        }
    }

    private static Command Up() => Verb("up", "build a lab (default 3 nodes, at most 32) and wait until it has formed",
        CommonOptions.Text("--nodes", "N", "how many nodes (default 3, at most 32)"),
        CommonOptions.Text("--config", "FILE", "the cluster file to build the lab from"));

    private static Command Status()
    {
        var output = CommonOptions.Output();
        var command = new Command("status", "nodes, addresses, power (read from each BMC), switch links") { output };
        command.SetAction(r => LabCommands.LabAsync(["status", "--output", r.GetValue(output)!], r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static Command Exec()
    {
        var node = Node();
        var program = Program("run inside the node (an absolute path; cwd is /)");
        var command = new Command("exec", "run a command inside a node: palisade lab exec NODE -- CMD [ARG...]") { node, program };
        command.SetAction(r => LabCommands.LabAsync(["exec", r.GetValue(node)!, "--", .. r.GetValue(program)!], r.InvocationConfiguration.Output,
            r.InvocationConfiguration.Error));
        return command;
    }

    private static Command Switch()
    {
        var program = Program("run in pal-sw");
        var command = new Command("switch", "run a command in pal-sw, the outside host on both LANs: palisade lab switch -- CMD [ARG...]") { program };
        command.SetAction(r => LabCommands.LabAsync(["switch", "--", .. r.GetValue(program)!], r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return command;
    }

    private static Argument<string[]> Program(string description) =>
        new("CMD") { HelpName = "CMD [ARG...]", Arity = ArgumentArity.OneOrMore, Description = $"the command and its arguments, after --, to {description}" };

    private static Command Panic() => Verb("panic", "crash the node: processes gone, power on, its kdump kernel announces itself (fence_kdump, UDP 7410)",
        Node(), CommonOptions.Text("--interval", "SECONDS", "how often the kdump kernel announces itself (default 1)"));

    private static Command Cut() => Verb("cut", "take the node's interconnect link down", Node(),
        CommonOptions.Flag("--all", "the admin link too"));

    private static Command NicFail() => Verb("nic-fail", "link IF of the node down, then its Redfish BMC emits NetworkDevice.1.0.CableRemoved",
        Node(), Interface(), CommonOptions.Flag("--clear", "link up again, and CableInserted"));

    private static Command Chaos()
    {
        var runs = new Option<int>("--runs") { HelpName = "N", Description = "how many schedules (default 10)", DefaultValueFactory = _ => 10 };
        runs.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--runs must be at least 1");
            }
        });
        var seed = new Option<int?>("--seed") { HelpName = "S", Description = "the first run's seed (default: from the clock, printed)" };
        var config = CommonOptions.Text("--config", "FILE", "the cluster file (default: the demo cluster)");
        var command = new Command("chaos", ChaosCommand.Description) { runs, seed, config };
        command.SetAction(r => LabCommands.ChaosAsync(r.GetValue(runs), r.GetValue(seed), r.GetValue(config), r.InvocationConfiguration.Output,
            r.InvocationConfiguration.Error));
        return command;
    }
}
