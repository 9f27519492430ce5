using System.Diagnostics;
using System.Text.Json;
using Palisade.Core.Control;
using Palisade.Core.Messages;

namespace Palisade.Cli;

/// <summary>
/// <c>palisade notify --batch FILE|-</c>: every line is one message as JSON (<c>category</c>, <c>keyword</c>,
/// <c>severity</c>, <c>text</c>, <c>source</c>, <c>node</c>, <c>id</c>), handed to palisaded many per request
/// (<c>notify-batch</c>: one request's messages share the journal's syncs) with a few requests in flight.
/// Prints one line per refused message and a summary; exits 1 when any was refused or lost.
/// </summary>
internal static class NotifyBatch
{
    private const int InFlight = 4;
    private const int PerRequest = 1000;

    /// <summary>Well under palisaded's 512 KiB request limit.</summary>
    private const int RequestBytes = 400 * 1024;

    /// <param name="acks">When given, each acknowledged id is appended to this file as soon as it is acknowledged.</param>
    public static async Task<int> RunAsync(string file, TextWriter stdout, string? acks = null)
    {
        await using var acked = acks is null ? null : new StreamWriter(acks, append: true) { AutoFlush = true };
        using var reader = file == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(file);
        var clock = Stopwatch.StartNew();
        var (accepted, refused, number, bytes) = (0, 0, 0, 0);
        var chunk = new List<(int Line, ExternalNotice Notice)>();
        var pending = new List<Task<Outcome>>();
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            number++;
            if (line.Length == 0)
            {
                continue;
            }

            ExternalNotice? notice;
            try
            {
                notice = JsonSerializer.Deserialize<ExternalNotice>(line, JournalEntry.Json);
            }
            catch (JsonException e)
            {
                notice = null;
                await stdout.WriteLineAsync($"line {number}: not a message: {e.Message}").ConfigureAwait(false);
            }

            if (notice is null)
            {
                refused++;
                continue;
            }

            chunk.Add((number, notice));
            // Counted as it goes in the request (escapes included), so no request passes palisaded's limit.
            bytes += JsonSerializer.SerializeToUtf8Bytes(notice, ControlProtocol.Json).Length + 1;
            if (chunk.Count < PerRequest && bytes < RequestBytes)
            {
                continue;
            }

            pending.Add(SendAsync([.. chunk]));
            (chunk, bytes) = ([], 0);
            if (pending.Count >= InFlight)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                (accepted, refused) = await CountAsync(await done.ConfigureAwait(false), accepted, refused, stdout, acked).ConfigureAwait(false);
            }
        }

        if (chunk.Count > 0)
        {
            pending.Add(SendAsync([.. chunk]));
        }

        foreach (var task in pending)
        {
            (accepted, refused) = await CountAsync(await task.ConfigureAwait(false), accepted, refused, stdout, acked).ConfigureAwait(false);
        }

        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        await stdout.WriteLineAsync($"{accepted} accepted, {refused} refused in {seconds:0.0} s ({accepted / seconds:0} per second)").ConfigureAwait(false);
        return refused == 0 ? 0 : 1;
    }

    private sealed record Outcome(IReadOnlyList<(int Line, ExternalNotice Notice)> Sent, ControlResponse Answer);

    private static async Task<Outcome> SendAsync(IReadOnlyList<(int Line, ExternalNotice Notice)> sent)
    {
        var request = new ControlRequest("notify-batch", Notices: [.. sent.Select(s => s.Notice)]);
        try
        {
            return new Outcome(sent, await ControlClient.SendAsync(request, TimeSpan.FromSeconds(30)).ConfigureAwait(false));
        }
        catch (IOException e)
        {
            return new Outcome(sent, new ControlResponse(false, Error: e.Message));
        }
    }

    private static async Task<(int, int)> CountAsync(Outcome r, int accepted, int refused, TextWriter stdout, StreamWriter? acked)
    {
        if (!r.Answer.Ok)
        {
            // The whole request was lost or refused: none of its messages is acknowledged.
            foreach (var (line, _) in r.Sent)
            {
                await stdout.WriteLineAsync($"line {line}: {r.Answer.Error}").ConfigureAwait(false);
            }

            return (accepted, refused + r.Sent.Count);
        }

        var refusedHere = (r.Answer.Refused ?? []).ToDictionary(x => x.Index);
        for (var i = 0; i < r.Sent.Count; i++)
        {
            if (refusedHere.TryGetValue(i, out var why))
            {
                await stdout.WriteLineAsync($"line {r.Sent[i].Line}: {why.Reason}").ConfigureAwait(false);
                refused++;
                continue;
            }

            if (acked is not null)
            {
                await acked.WriteLineAsync(r.Sent[i].Notice.Id).ConfigureAwait(false);
            }

            accepted++;
        }

        return (accepted, refused);
    }
}
