using System.CommandLine;
using Palisade.Cli.Parsing;
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
    public const string Summary = "hand a hardware or management message to this node's palisaded";

    public const string Usage =
        "expected: notify --category C [--keyword K] [--severity error|warning|clear] [--text T] [--node N] [--id ID] [--source S]";

    public static Command Declare()
    {
        var category = CommonOptions.Text("--category", "C", "the message's category (NIC, NODE, HA/SS, ...): required unless --batch");
        var keyword = CommonOptions.Text("--keyword", "K", "the device or detail within the category");
        var severity = CommonOptions.Text("--severity", "error|warning|clear", "default error");
        severity.CompletionSources.Add("error", "warning", "clear");
        var text = CommonOptions.Text("--text", "T", "free text for the journal");
        var node = CommonOptions.Text("--node", "N", "the node the message concerns (default: this node)");
        var id = CommonOptions.Text("--id", "ID", "the message's id (default: a new one); a repeated id is not applied again");
        var source = CommonOptions.Text("--source", "S", "who sends it (default: palisade notify on HOST)");
        var batch = CommonOptions.Text("--batch", "FILE|-", "hand over every message of a JSON-lines file (- for stdin) and print a summary");
        var acks = CommonOptions.Text("--acks", "FILE", "with --batch: append each accepted message's id to FILE");
        var single = new[] { category, keyword, severity, text, node, id, source };
        var command = new Command("notify", Summary)
        {
            category, keyword, severity, text, node, id, source, batch, acks,
        };
        command.SetAction(r =>
        {
            var stdout = r.InvocationConfiguration.Output;
            if (r.GetValue(batch) is { } file)
            {
                return single.Any(o => r.GetResult(o) is { Implicit: false })
                    ? throw new UsageException("--batch takes only --acks FILE besides")
                    : NotifyBatch.RunAsync(file, stdout, r.GetValue(acks));
            }

            var notice = new ExternalNotice(
                r.GetValue(category) ?? throw new UsageException($"--category is required; {Usage}"),
                r.GetValue(keyword),
                Severity(r.GetValue(severity) ?? "error"),
                r.GetValue(text) ?? "",
                r.GetValue(source) ?? $"palisade notify on {Environment.MachineName}",
                r.GetValue(node),
                r.GetValue(id) ?? Guid.NewGuid().ToString("N"));
            return SendAsync(notice, stdout);
        });
        return command;
    }

    private static NoticeSeverity Severity(string text) => text switch
    {
        "error" => NoticeSeverity.Error,
        "warning" => NoticeSeverity.Warning,
        "clear" => NoticeSeverity.Clear,
        _ => throw new UsageException($"--severity must be error, warning or clear, not '{text}'"),
    };

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
