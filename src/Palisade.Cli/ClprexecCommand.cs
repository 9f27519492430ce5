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
    public const string Usage = """
        usage: clprexec --notice [MONITOR] [-k CATEGORY[.KEYWORD]] [-h HOST] [OPTIONS]
               clprexec --clear [MONITOR] [-k CATEGORY[.KEYWORD]] [-h HOST] [OPTIONS]
               clprexec --failover [GROUP] [-r RESOURCE] [-h HOST] [OPTIONS]
               clprexec --script NAME [-h HOST] [OPTIONS]
          -h HOST          send to that node's HTTPS intake (default: this node's palisaded)
          -p PORT          the intake's port (default 29002)
          -w SECONDS       how long to wait for the answer (default 180)
          -o LOGFILE       also append the outcome to LOGFILE
          --token-file F   bearer token for -h (default /etc/palisade/intake.token)
          --ca F           CA certificate(s) for -h (default /etc/palisade/intake-ca.pem, else the system's)
          --config F       cluster file for MONITOR and -r (default /etc/palisade/palisade.yaml)
        """;

    private static readonly string[] Modes = ["--notice", "--clear", "--failover", "--script"];
    private static readonly string[] Valued = ["-h", "-p", "-w", "-o", "-k", "-r", "--token-file", "--ca", "--config", "--apito"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        var modes = args.Where(Modes.Contains).Distinct().ToList();
        if (modes.Count != 1)
        {
            throw new UsageException($"give exactly one of {string.Join(", ", Modes)}\n{Usage}");
        }

        var mode = modes[0];
        var rest = args.Where(a => a != mode).ToArray();
        var positional = Options.Positional(rest, Valued);
        if (positional.Count > 1)
        {
            throw new UsageException($"unexpected '{positional[1]}'\n{Usage}");
        }

        var name = positional.FirstOrDefault();
        var host = Options.Value(rest, "-h");
        var port = Number(Options.Value(rest, "-p"), "-p", 1, 65535) ?? Core.Configuration.IntakeConfig.DefaultPort;
        var wait = TimeSpan.FromSeconds(Number(Options.Value(rest, "-w"), "-w", 1, 3600) ?? 180);
        var (path, body, local) = mode switch
        {
            "--notice" or "--clear" => Notice(mode, name, rest),
            "--failover" => Failover(name, rest),
            _ => Script(name),
        };

        var answer = host is null
            ? await ControlClient.SendAsync(local, wait).ConfigureAwait(false)
            : await IntakeClient.PostAsync(host, port, path, body, Options.Value(rest, "--token-file") ?? IntakeClient.DefaultTokenFile,
                Options.Value(rest, "--ca"), wait).ConfigureAwait(false);
        var outcome = answer.Ok ? answer.Message ?? "done" : answer.Error ?? "refused";
        if (Options.Value(rest, "-o") is { } log)
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

    private static (string Path, object Body, ControlRequest Local) Notice(string mode, string? monitor, string[] rest)
    {
        var (category, keyword) = Options.Value(rest, "-k") is { } k ? SplitCategory(k) : FromMonitor(monitor, rest);
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
    private static (string, string?) FromMonitor(string? monitor, string[] rest)
    {
        if (monitor is null)
        {
            throw new UsageException($"give a monitor name or -k CATEGORY[.KEYWORD]\n{Usage}");
        }

        var config = LoadConfig(rest);
        if (config.FindMonitor(monitor) is not { Kind: Core.Configuration.MonitorKind.External, Category: { } category } found)
        {
            var external = config.Monitors.Where(m => m.Kind == Core.Configuration.MonitorKind.External).Select(m => m.Name).ToList();
            throw new UsageException($"'{monitor}' is not an external monitor of {config.SourcePath} (external monitors: {(external.Count == 0 ? "none" : string.Join(", ", external))})");
        }

        return (category, found.Keyword);
    }

    private static (string, object, ControlRequest) Failover(string? group, string[] rest)
    {
        if (Options.Value(rest, "-r") is { } resource)
        {
            var config = LoadConfig(rest);
            group = config.Groups.FirstOrDefault(g => g.Resources.Any(r => r.Name == resource))?.Name
                ?? throw new UsageException($"no group of {config.SourcePath} holds a resource '{resource}'");
        }

        if (group is null)
        {
            throw new UsageException($"--failover needs a group (or -r RESOURCE)\n{Usage}");
        }

        return ("/v1/failover", new { group }, new ControlRequest("group", Action: "move", Group: group));
    }

    private static (string, object, ControlRequest) Script(string? script) => script is null
        ? throw new UsageException($"--script needs the name of a script\n{Usage}")
        : ("/v1/script", new { script }, new ControlRequest("script", Value: script));

    private static Core.Configuration.ClusterConfig LoadConfig(string[] rest)
    {
        var path = Options.Value(rest, "--config") ?? "/etc/palisade/palisade.yaml";
        var loaded = ConfigLoader.LoadFile(path);
        return loaded.Config ?? throw new IOException($"{path}: {string.Join("; ", loaded.Errors)}");
    }

    private static int? Number(string? text, string option, int min, int max) =>
        text is null ? null
        : int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n
        : throw new UsageException($"{option} needs a number between {min} and {max}, not '{text}'");
}
