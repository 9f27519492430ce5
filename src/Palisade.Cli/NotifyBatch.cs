using System.Diagnostics;
using System.Text.Json;
using Palisade.Core.Control;
using Palisade.Core.Messages;

namespace Palisade.Cli;

/// <summary>
/// <c>palisade notify --batch FILE|-</c>: every line is one message as JSON (<c>category</c>, <c>keyword</c>,
/// <c>severity</c>, <c>text</c>, <c>source</c>, <c>node</c>, <c>id</c>), handed to palisaded with a few in flight.
/// Prints one line per refused message and a summary; exits 1 when any was refused or lost.
/// </summary>
internal static class NotifyBatch
{
    private const int InFlight = 16;

    /// <param name="acks">When given, each acknowledged id is appended to this file as soon as it is acknowledged.</param>
    public static async Task<int> RunAsync(string file, TextWriter stdout, string? acks = null)
    {
        await using var acked = acks is null ? null : new StreamWriter(acks, append: true) { AutoFlush = true };
        using var reader = file == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(file);
        var clock = Stopwatch.StartNew();
        var (accepted, refused, number) = (0, 0, 0);
        var pending = new List<Task<(int Line, string? Id, ControlResponse Answer)>>();
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
                refused++;
                await stdout.WriteLineAsync($"line {number}: not a message: {e.Message}").ConfigureAwait(false);
                continue;
            }

            var at = number;
            pending.Add(Send(at, notice));
            if (pending.Count >= InFlight)
            {
                var done = await Task.WhenAny(pending).ConfigureAwait(false);
                pending.Remove(done);
                (accepted, refused) = await Count(await done.ConfigureAwait(false), accepted, refused, stdout, acked).ConfigureAwait(false);
            }
        }

        foreach (var task in pending)
        {
            (accepted, refused) = await Count(await task.ConfigureAwait(false), accepted, refused, stdout, acked).ConfigureAwait(false);
        }

        var seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
        await stdout.WriteLineAsync($"{accepted} accepted, {refused} refused in {seconds:0.0} s ({accepted / seconds:0} per second)").ConfigureAwait(false);
        return refused == 0 ? 0 : 1;
    }

    private static async Task<(int, string?, ControlResponse)> Send(int line, ExternalNotice? notice)
    {
        try
        {
            return (line, notice?.Id, await ControlClient.SendAsync(new ControlRequest("notify", Notice: notice), TimeSpan.FromSeconds(30)).ConfigureAwait(false));
        }
        catch (IOException e)
        {
            return (line, notice?.Id, new ControlResponse(false, Error: e.Message));
        }
    }

    private static async Task<(int, int)> Count((int Line, string? Id, ControlResponse Answer) r, int accepted, int refused, TextWriter stdout, StreamWriter? acked)
    {
        if (r.Answer.Ok)
        {
            if (acked is not null)
            {
                await acked.WriteLineAsync(r.Id).ConfigureAwait(false);
            }

            return (accepted + 1, refused);
        }

        await stdout.WriteLineAsync($"line {r.Line}: {r.Answer.Error}").ConfigureAwait(false);
        return (accepted, refused + 1);
    }
}
