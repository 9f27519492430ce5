using System.CommandLine;
using System.Text.Json;
using Palisade.Cli.Parsing;
using Palisade.Core.Messages;

namespace Palisade.Cli;

/// <summary>
/// <c>palisade events [--follow] [--node N] [--output text|json] [--journal PATH]</c>: the messages this node accepted,
/// from its journal; <c>--node</c> keeps those concerning one node; <c>--follow</c> waits for new ones.
/// </summary>
internal static class EventsCommand
{
    public const string Summary = "the messages this node accepted (its journal)";

    public const string DefaultJournal = "/var/lib/palisade/events.journal";
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    public static Command Declare()
    {
        var follow = CommonOptions.Flag("--follow", "keep waiting for new messages");
        var node = CommonOptions.Text("--node", "N", "only the messages concerning node N");
        var output = CommonOptions.Output();
        var journal = CommonOptions.Text("--journal", "PATH", $"the journal to read (default {DefaultJournal})");
        var command = new Command("events", Summary) { follow, node, output, journal };
        command.SetAction(r => RunAsync(r.GetValue(journal) ?? DefaultJournal, r.GetValue(node), r.GetValue(output)!, r.GetValue(follow),
            r.InvocationConfiguration.Output, CancellationToken.None));
        return command;
    }

    public static async Task<int> RunAsync(string path, string? node, string output, bool follow, TextWriter stdout, CancellationToken ct)
    {
        await PrintFromAsync(path + ".1", 0, node, output, stdout, ct).ConfigureAwait(false); // the rotated part, older
        long offset = 0;
        do
        {
            offset = await PrintFromAsync(path, offset, node, output, stdout, ct).ConfigureAwait(false);
            if (follow)
            {
                try
                {
                    await Task.Delay(FollowPoll, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }
            }
        }
        while (follow && !ct.IsCancellationRequested);

        return 0;
    }

    /// <summary>Prints the whole lines after <paramref name="offset"/>; returns where the next read starts.</summary>
    private static async Task<long> PrintFromAsync(string path, long offset, string? node, string output, TextWriter stdout, CancellationToken ct)
    {
        if (!File.Exists(path))
        {
            return offset;
        }

        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length < offset)
        {
            offset = 0; // rotated since the last read: the new file starts over
        }

        file.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(file);
        var text = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        var complete = text.LastIndexOf('\n') + 1; // a line still being written waits for the next round
        foreach (var line in text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JournalEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<JournalEntry>(line, JournalEntry.Json);
            }
            catch (JsonException)
            {
                continue;
            }

            var concerns = entry?.Notice.Node ?? entry?.ReceivedBy;
            if (entry is null || (node is not null && concerns != node))
            {
                continue;
            }

            await stdout.WriteLineAsync(output == "json" ? line : Render(entry)).ConfigureAwait(false);
        }

        return offset + System.Text.Encoding.UTF8.GetByteCount(text[..complete]);
    }

    private static string Render(JournalEntry e)
    {
        var n = e.Notice;
        var device = n.Keyword is null ? n.Category : $"{n.Category}.{n.Keyword}";
        return $"{e.Received.ToUniversalTime():yyyy-MM-dd HH:mm:ss.fff}Z  {n.Severity.ToString().ToLowerInvariant(),-7}  {device}  on {n.Node ?? e.ReceivedBy}"
            + $"  from {n.Source} (id {n.Id}, received by {e.ReceivedBy}{(e.Held ? ", a repeat held back" : e.Repeats > 0 ? $", after {e.Repeats} repeat(s)" : "")})"
            + (string.IsNullOrEmpty(n.Text) ? "" : ": " + n.Text);
    }
}
