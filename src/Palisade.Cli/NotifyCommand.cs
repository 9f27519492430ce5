using Palisade.Core.Control;
using Palisade.Core.Messages;

namespace Palisade.Cli;

/// <summary>
/// <c>palisade notify --category C [--keyword K] [--severity error|warning|clear] [--text T] [--node N] [--id ID]
/// [--source S]</c>: hands a message to this node's palisaded, which journals it and publishes it to the cluster.
/// <c>palisade notify --batch FILE|-</c> hands over every message of a JSON-lines file (the journal's message form),
/// several at a time, and prints a summary.
/// </summary>
internal static class NotifyCommand
{
    public const string Usage =
        "expected: notify --category C [--keyword K] [--severity error|warning|clear] [--text T] [--node N] [--id ID] [--source S]";

    private static readonly string[] Valued = ["--category", "--keyword", "--severity", "--text", "--node", "--id", "--source", "--batch", "--acks"];

    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        if (Options.Value(args, "--batch") is { } batch)
        {
            var acks = Options.Value(args, "--acks");
            return args.Length == (acks is null ? 2 : 4)
                ? await NotifyBatch.RunAsync(batch, stdout, acks).ConfigureAwait(false)
                : throw new UsageException("--batch takes only --acks FILE besides");
        }

        if (Options.Positional(args, Valued) is { Count: > 0 } extra)
        {
            throw new UsageException($"unexpected '{extra[0]}'; {Usage}");
        }

        var category = Options.Value(args, "--category") ?? throw new UsageException($"--category is required; {Usage}");
        var severity = (Options.Value(args, "--severity") ?? "error") switch
        {
            "error" => NoticeSeverity.Error,
            "warning" => NoticeSeverity.Warning,
            "clear" => NoticeSeverity.Clear,
            var other => throw new UsageException($"--severity must be error, warning or clear, not '{other}'"),
        };
        var notice = new ExternalNotice(
            category,
            Options.Value(args, "--keyword"),
            severity,
            Options.Value(args, "--text") ?? "",
            Options.Value(args, "--source") ?? $"palisade notify on {Environment.MachineName}",
            Options.Value(args, "--node"),
            Options.Value(args, "--id") ?? Guid.NewGuid().ToString("N"));
        return await SendAsync(notice, stdout).ConfigureAwait(false);
    }

    public static async Task<int> SendAsync(ExternalNotice notice, TextWriter stdout)
    {
        var answer = await ControlClient.SendAsync(new ControlRequest("notify", Notice: notice), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!answer.Ok)
        {
            throw new IOException(answer.Error ?? "message refused");
        }

        await stdout.WriteLineAsync(answer.Message).ConfigureAwait(false);
        return 0;
    }
}
