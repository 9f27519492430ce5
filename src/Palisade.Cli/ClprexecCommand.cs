using System.CommandLine;
using Palisade.Cli.Parsing;
using Palisade.Configuration;
using Palisade.Core.Control;
using Palisade.Core.Messages;

namespace Palisade.Cli;

/// <summary>
/// <c>clprexec</c> (installed as its own command): CLUSTERPRO's forms for telling the cluster about a failure.
/// <c>--notice|--clear [MONITOR] [-k CATEGORY[.KEYWORD]]</c> sends an error or a clear; <c>--failover GROUP</c>
/// (or <c>-r RESOURCE</c>) moves a group on; <c>--script NAME</c> runs a request script. Without <c>-h</c> the local
/// palisaded is asked over its control socket; with <c>-h HOST</c> the HTTPS intake of that node.
/// </summary>
internal static class ClprexecCommand
{
    public const string Summary =
        "CLUSTERPRO's request forms: --notice|--clear [MONITOR] [-k CATEGORY[.KEYWORD]], --failover [GROUP] [-r RESOURCE], " +
        "--script NAME; to this node's palisaded, or with -h HOST to that node's HTTPS intake (also installed as 'clprexec')";

    private static readonly string[] ModeNames = ["--notice", "--clear", "--failover", "--script"];

    /// <summary>The declared options, read by the forms below.</summary>
    private sealed record Parsed(ParseResult Result, Option<string> Category, Option<string> Resource, Option<string> Config)
    {
        public string? Value(Option<string> option) => Result.GetValue(option);
    }

    public static Command Declare()
    {
        Option<bool>[] modes =
        [
            CommonOptions.Flag("--notice", "send an error: MONITOR (an external monitor of the cluster file) or -k"),
            CommonOptions.Flag("--clear", "send a clear (Error -> Normal): MONITOR or -k"),
            CommonOptions.Flag("--failover", "move GROUP (or the group holding -r RESOURCE) on"),
            CommonOptions.Flag("--script", "run the request script NAME"),
        ];
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "MONITOR, GROUP or script NAME" };
        var category = CommonOptions.Text("-k", "CATEGORY[.KEYWORD]", "the message's category and keyword");
        var resource = CommonOptions.Text("-r", "RESOURCE", "with --failover: the group holding RESOURCE");
        var host = CommonOptions.Text("-h", "HOST", "send to that node's HTTPS intake (default: this node's palisaded)");
        var port = CommonOptions.Text("-p", "PORT", $"the intake's port (default {Core.Configuration.IntakeConfig.DefaultPort})");
        var wait = CommonOptions.Text("-w", "SECONDS", "how long to wait for the answer (default 180)");
        var log = CommonOptions.Text("-o", "LOGFILE", "also append the outcome to LOGFILE");
        var tokenFile = CommonOptions.Text("--token-file", "F", $"bearer token for -h (default {IntakeClient.DefaultTokenFile})");
        var ca = CommonOptions.Text("--ca", "F", "CA certificate(s) for -h (default /etc/palisade/intake-ca.pem, else the system's)");
        var config = CommonOptions.Text("--config", "F", "cluster file for MONITOR and -r (default /etc/palisade/palisade.yaml)");
        var apito = CommonOptions.Text("--apito", "SECONDS", "accepted for CLUSTERPRO compatibility; -w sets the wait");
        apito.Hidden = true;
        var command = new Command("clprexec", Summary) { name, category, resource, host, port, wait, log, tokenFile, ca, config, apito };
        foreach (var mode in modes.Reverse())
        {
            command.Options.Insert(0, mode);
        }

        command.SetAction(r =>
        {
            var given = modes.Where(m => r.GetValue(m)).ToList();
            if (given.Count != 1)
            {
                throw new UsageException($"give exactly one of {string.Join(", ", ModeNames)}");
            }

            var request = new Request(given[0].Name, r.GetValue(name), r.GetValue(host),
                Number(r.GetValue(port), "-p", 1, 65535) ?? Core.Configuration.IntakeConfig.DefaultPort,
                TimeSpan.FromSeconds(Number(r.GetValue(wait), "-w", 1, 3600) ?? 180),
                r.GetValue(log), r.GetValue(tokenFile) ?? IntakeClient.DefaultTokenFile, r.GetValue(ca));
            return RunAsync(request, new Parsed(r, category, resource, config), r.InvocationConfiguration.Output);
        });
        return command;
    }

    private sealed record Request(string Mode, string? Name, string? Host, int Port, TimeSpan Wait, string? Log, string TokenFile, string? Ca);

    private static async Task<int> RunAsync(Request request, Parsed parsed, TextWriter stdout)
    {
        var (mode, name) = (request.Mode, request.Name);
        var (path, body, local) = mode switch
        {
            "--notice" or "--clear" => Notice(mode, name, parsed),
            "--failover" => Failover(name, parsed),
            _ => Script(name),
        };

        var answer = request.Host is null
            ? await ControlClient.SendAsync(local, request.Wait).ConfigureAwait(false)
            : await IntakeClient.PostAsync(request.Host, request.Port, path, body, request.TokenFile, request.Ca, request.Wait).ConfigureAwait(false);
        var outcome = answer.Ok ? answer.Message ?? "done" : answer.Error ?? "refused";
        if (request.Log is { } log)
        {
            await File.AppendAllTextAsync(log, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss}Z clprexec {mode} {name}: {(answer.Ok ? "ok" : "failed")}: {outcome}\n").ConfigureAwait(false);
        }

        if (!answer.Ok)
        {
            throw new IOException(outcome);
        }

        await stdout.WriteLineAsync(outcome).ConfigureAwait(false);
        return 0;
    }

    private static (string Path, object Body, ControlRequest Local) Notice(string mode, string? monitor, Parsed rest)
    {
        var (category, keyword) = rest.Value(rest.Category) is { } k ? SplitCategory(k) : FromMonitor(monitor, rest);
        var severity = mode == "--clear" ? NoticeSeverity.Clear : NoticeSeverity.Error;
        var id = Guid.NewGuid().ToString("N");
        var source = $"clprexec on {Environment.MachineName}";
        var notice = new ExternalNotice(category, keyword, severity, monitor is null ? "" : $"for monitor {monitor}", source, null, id);
        var body = new { category, keyword, severity = severity.ToString().ToLowerInvariant(), text = notice.Text, source, id };
        return ("/v1/notify", body, new ControlRequest("notify", Notice: notice));
    }

    /// <summary><c>CATEGORY[.KEYWORD]</c>: the keyword is everything after the first dot (a device name may hold dots).</summary>
    public static (string Category, string? Keyword) SplitCategory(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? (text, null) : (text[..dot], dot + 1 < text.Length ? text[(dot + 1)..] : null);
    }

    /// <summary>An external monitor's category and keyword, read from the cluster file.</summary>
    private static (string, string?) FromMonitor(string? monitor, Parsed rest)
    {
        if (monitor is null)
        {
            throw new UsageException("give a monitor name or -k CATEGORY[.KEYWORD]");
        }

        var config = LoadConfig(rest);
        if (config.FindMonitor(monitor) is not { Kind: Core.Configuration.MonitorKind.External, Category: { } category } found)
        {
            var external = config.Monitors.Where(m => m.Kind == Core.Configuration.MonitorKind.External).Select(m => m.Name).ToList();
            throw new UsageException($"'{monitor}' is not an external monitor of {config.SourcePath} (external monitors: {(external.Count == 0 ? "none" : string.Join(", ", external))})");
        }

        return (category, found.Keyword);
    }

    private static (string, object, ControlRequest) Failover(string? group, Parsed rest)
    {
        if (rest.Value(rest.Resource) is { } resource)
        {
            var config = LoadConfig(rest);
            group = config.Groups.FirstOrDefault(g => g.Resources.Any(r => r.Name == resource))?.Name
                ?? throw new UsageException($"no group of {config.SourcePath} holds a resource '{resource}'");
        }

        if (group is null)
        {
            throw new UsageException("--failover needs a group (or -r RESOURCE)");
        }

        return ("/v1/failover", new { group }, new ControlRequest("group", Action: "move", Group: group));
    }

    private static (string, object, ControlRequest) Script(string? script) => script is null
        ? throw new UsageException("--script needs the name of a script")
        : ("/v1/script", new { script }, new ControlRequest("script", Value: script));

    private static Core.Configuration.ClusterConfig LoadConfig(Parsed rest)
    {
        var path = rest.Value(rest.Config) ?? "/etc/palisade/palisade.yaml";
        var loaded = ConfigLoader.LoadFile(path);
        return loaded.Config ?? throw new IOException($"{path}: {string.Join("; ", loaded.Errors)}");
    }

    private static int? Number(string? text, string option, int min, int max) =>
        text is null ? null
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw new UsageException($"{option} needs a number between {min} and {max}, not '{text}'");
}
