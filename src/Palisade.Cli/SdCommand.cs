using System.CommandLine;
using System.Text.Json;
using Palisade.Cli.Parsing;
using Palisade.Core.Control;
using Palisade.Core.Status;

namespace Palisade.Cli;

/// <summary><c>palisade sd</c> (also installed as <c>sdtool</c>): the shutdown daemon of this node.</summary>
internal static class SdCommand
{
    public const string Summary = "the shutdown daemon of this node and fencing; give one action (also: sdtool ACTION)";

    public static Command Declare()
    {
        var show = CommonOptions.Flag("-s", "state of every node's shutdown agents, as this node sees them");
        var begin = CommonOptions.Flag("-b", "start this node's shutdown daemon");
        var end = CommonOptions.Flag("-e", "stop it: this node then fences nobody");
        var reconfigure = Valued("-r", "FILE", "reconfigure from the configuration file (validated first; default: the one in use)");
        var config = CommonOptions.Flag("-C", "print the effective shutdown configuration (secrets redacted)");
        var debug = Valued("-d", "on|off", "debug output of the shutdown daemon and its agents");
        debug.CompletionSources.Add("on", "off");
        var kill = Valued("-k", "NODE", "forcibly stop NODE through its shutdown agents");
        var history = Valued("--history", "NODE", "fence history, optionally of one node");
        var confirmDown = Valued("--confirm-down", "NODE", "declare a lost node down by hand (its services then start elsewhere)");
        var testNow = CommonOptions.Flag("--test-now", "test every fencing path now");
        var output = CommonOptions.Output();
        var yes = CommonOptions.Flag("--yes", "with -k or --confirm-down: do not ask");
        Option[] actions = [show, begin, end, reconfigure, config, debug, kill, history, confirmDown, testNow];
        var command = new Command("sd", Summary) { show, begin, end, reconfigure, config, debug, kill, history, confirmDown, testNow, output, yes };
        command.SetAction(r =>
        {
            var given = actions.Where(o => r.GetResult(o) is { Implicit: false }).ToList();
            if (given.Count != 1)
            {
                throw new UsageException(given.Count == 0
                    ? "sd needs one action (see 'palisade sd --help')"
                    : $"sd takes one action, got {string.Join(" ", given.Select(o => o.Name))}");
            }

            var action = given[0];
            var argument = action is Option<string> valued ? r.GetValue(valued) : null;
            return RunAsync(action.Name, argument, r.GetValue(output)!, r.GetValue(yes), r.InvocationConfiguration.Output, Console.In,
                !Console.IsInputRedirected);
        });
        return command;
    }

    /// <summary>An action that takes a value, given or not (a missing one is named by the action itself).</summary>
    private static Option<string> Valued(string name, string helpName, string description)
    {
        var option = CommonOptions.Text(name, helpName, description);
        option.Arity = ArgumentArity.ZeroOrOne;
        return option;
    }

    public static async Task<int> RunAsync(string action, string? argument, string output, bool yes, TextWriter stdout, TextReader stdin, bool interactive) =>
        action switch
        {
            "-s" => await ShowAsync(new ControlRequest("sd", "state"), output, stdout).ConfigureAwait(false),
            "--test-now" => await ShowAsync(new ControlRequest("sd", "test-now"), output, stdout).ConfigureAwait(false),
            "--history" => await HistoryAsync(argument, output, stdout).ConfigureAwait(false),
            "-C" => await ConfigAsync(stdout).ConfigureAwait(false),
            "-b" => await SimpleAsync(new ControlRequest("sd", "start"), stdout).ConfigureAwait(false),
            "-e" => await SimpleAsync(new ControlRequest("sd", "stop"), stdout).ConfigureAwait(false),
            "-r" => await SimpleAsync(new ControlRequest("sd", "reconfigure", Value: argument is null ? null : Path.GetFullPath(argument)), stdout).ConfigureAwait(false),
            "-d" => await SimpleAsync(new ControlRequest("sd", "debug", Value: argument is "on" or "off" ? argument : throw new UsageException("sd -d takes on or off")), stdout).ConfigureAwait(false),
            "-k" => await KillAsync(Required(action, argument), yes, stdout, stdin, interactive).ConfigureAwait(false),
            _ => await ConfirmDownAsync(Required(action, argument), yes, stdout, stdin, interactive).ConfigureAwait(false),
        };

    private static string Required(string action, string? argument) =>
        argument ?? throw new UsageException($"sd {action} needs a node name");

    private static async Task<ControlResponse> SendAsync(ControlRequest request, TimeSpan timeout)
    {
        var response = await ControlClient.SendAsync(request, timeout).ConfigureAwait(false);
        return response.Ok ? response : throw new IOException(response.Error ?? "request refused");
    }

    private static async Task<int> ShowAsync(ControlRequest request, string output, TextWriter stdout)
    {
        // A test cycle waits for every agent's answer, each bounded by its own timeout.
        var response = await SendAsync(request, TimeSpan.FromMinutes(5)).ConfigureAwait(false);
        var report = response.Sd ?? throw new IOException("palisaded returned no shutdown daemon state");
        await stdout.WriteAsync(output == "json" ? JsonSerializer.Serialize(report, JsonOutput.Options) + "\n" : SdText.Table(report)).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> HistoryAsync(string? node, string output, TextWriter stdout)
    {
        var response = await SendAsync(new ControlRequest("sd", "history", Target: node), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        var records = response.Sd?.History ?? [];
        await stdout.WriteAsync(output == "json" ? JsonSerializer.Serialize(records, JsonOutput.Options) + "\n" : SdText.History(records)).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> ConfigAsync(TextWriter stdout)
    {
        var response = await SendAsync(new ControlRequest("sd", "config"), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        await stdout.WriteAsync(response.Sd?.Config ?? throw new IOException("palisaded returned no configuration")).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> SimpleAsync(ControlRequest request, TextWriter stdout)
    {
        var response = await SendAsync(request, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        await stdout.WriteLineAsync(response.Message).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> KillAsync(string node, bool yes, TextWriter stdout, TextReader stdin, bool interactive)
    {
        await stdout.WriteLineAsync($"palisade sd -k {node}: forcibly stops {node} through its shutdown agents (a hard power off).").ConfigureAwait(false);
        await stdout.WriteLineAsync($"A clean OS shutdown of {node} ('shutdown -h now' on it) is preferred: it stops its services in order.").ConfigureAwait(false);
        if (!await ConfirmedAsync($"Stop {node} by force?", yes, stdout, stdin, interactive).ConfigureAwait(false))
        {
            return 1;
        }

        return await SimpleAsync(new ControlRequest("sd", "kill", Target: node), stdout).ConfigureAwait(false);
    }

    private static async Task<int> ConfirmDownAsync(string node, bool yes, TextWriter stdout, TextReader stdin, bool interactive)
    {
        await stdout.WriteLineAsync($"""
            !!! WARNING !!!
            You are confirming that {node} is DOWN (powered off, or its OS stopped) without any shutdown agent having
            stopped it. Palisade will start its services elsewhere at once. If {node} is in fact still running, those
            services run twice and shared data can be corrupted. Check the machine itself (its console or power
            supply) before you go on. Your confirmation is recorded in the fence history.
            """).ConfigureAwait(false);
        if (!await ConfirmedAsync($"Confirm that {node} is down?", yes, stdout, stdin, interactive).ConfigureAwait(false))
        {
            return 1;
        }

        return await SimpleAsync(new ControlRequest("sd", "confirm-down", Target: node), stdout).ConfigureAwait(false);
    }

    private static async Task<bool> ConfirmedAsync(string question, bool yes, TextWriter stdout, TextReader stdin, bool interactive)
    {
        if (yes)
        {
            return true;
        }

        if (!interactive)
        {
            throw new IOException("not confirmed: there is no terminal to ask on; add --yes to go ahead");
        }

        await stdout.WriteAsync($"{question} [y/N] ").ConfigureAwait(false);
        var answer = (await stdin.ReadLineAsync().ConfigureAwait(false))?.Trim();
        if (answer is "y" or "Y" or "yes")
        {
            return true;
        }

        await stdout.WriteLineAsync("Not confirmed; nothing was done.").ConfigureAwait(false);
        return false;
    }
}
