using System.Text.Json;
using Palisade.Core.Control;
using Palisade.Core.Status;

namespace Palisade.Cli;

/// <summary><c>palisade sd</c> (also installed as <c>sdtool</c>): the shutdown daemon of this node.</summary>
internal static class SdCommand
{
    public const string Usage = """
        usage: palisade sd ACTION   (also: sdtool ACTION)
          -s [--output text|json]     state of every node's shutdown agents, as this node sees them
          -b                          start this node's shutdown daemon
          -e                          stop it: this node then fences nobody
          -r [FILE]                   reconfigure from the configuration file (validated first)
          -C                          print the effective shutdown configuration (secrets redacted)
          -d on|off                   debug output of the shutdown daemon and its agents
          -k NODE [--yes]             forcibly stop NODE through its shutdown agents
          --history [NODE] [--output text|json]   fence history, optionally of one node
          --confirm-down NODE [--yes] declare a lost node down by hand (its services then start elsewhere)
          --test-now [--output text|json]         test every fencing path now
        """;

    private static readonly string[] Actions = ["-s", "-b", "-e", "-r", "-C", "-d", "-k", "--history", "--confirm-down", "--test-now"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextReader stdin, bool interactive)
    {
        if (args.FirstOrDefault(a => a.StartsWith('-') && !Actions.Contains(a) && a is not ("--output" or "--yes")) is { } unknown)
        {
            throw new UsageException($"sd: unknown option '{unknown}' (see 'palisade sd --help')");
        }

        var actions = args.Where(Actions.Contains).ToList();
        if (actions.Count != 1)
        {
            throw new UsageException(actions.Count == 0
                ? "sd needs one action (see 'palisade sd --help')"
                : $"sd takes one action, got {string.Join(" ", actions)}");
        }

        var action = actions[0];
        var rest = args.Where(a => a != action).ToList();
        var output = TakeValue(rest, "--output") ?? "text";
        var yes = rest.Remove("--yes");
        if (output is not ("text" or "json"))
        {
            throw new UsageException($"--output must be text or json, not '{output}'");
        }

        var argument = rest.Count switch
        {
            0 => null,
            1 when !rest[0].StartsWith('-') => rest[0],
            _ => throw new UsageException($"unexpected arguments for sd {action}: {string.Join(" ", rest)}"),
        };

        if (action is "-s" or "--test-now" or "-C" or "-b" or "-e" && argument is not null)
        {
            throw new UsageException($"sd {action} takes no argument, got '{argument}'");
        }

        return action switch
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
    }

    private static string Required(string action, string? argument) =>
        argument ?? throw new UsageException($"sd {action} needs a node name");

    private static string? TakeValue(List<string> args, string name)
    {
        var i = args.IndexOf(name);
        if (i < 0)
        {
            return null;
        }

        var value = i + 1 < args.Count ? args[i + 1] : throw new UsageException($"{name} needs a value");
        args.RemoveRange(i, 2);
        return value;
    }

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
