using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>One line of the power ledger: "&lt;unix ms&gt; &lt;node&gt; &lt;what&gt;" (power-off, power-on, panic...).</summary>
internal sealed record LedgerEntry(DateTimeOffset At, string Node, string What);

/// <summary>
/// Follows the lab's power ledger, which the power script appends to at every power change whoever asked for it
/// (ipmi_sim, a Redfish reset, the lab itself): the one place that sees them all. Starts at the ledger's current end,
/// so a restarted BMC process does not announce old changes again.
/// </summary>
internal sealed class LedgerFollower(string path, TimeProvider time, ILogger logger)
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Bounds one read; the rest of a burst comes with the next polls.</summary>
    private const int ReadLimit = 64 * 1024;

    private long position = -1;
    private bool failing;

    /// <summary>Calls <paramref name="onEntry"/> for each new complete line until cancelled.</summary>
    public async Task RunAsync(Action<LedgerEntry> onEntry, CancellationToken ct)
    {
        position = LengthOrZero();
        using var timer = new PeriodicTimer(PollInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                foreach (var entry in ReadNewEntries())
                {
                    onEntry(entry);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private long LengthOrZero() => File.Exists(path) ? new FileInfo(path).Length : 0;

    private List<LedgerEntry> ReadNewEntries()
    {
        var entries = new List<LedgerEntry>();
        try
        {
            var length = LengthOrZero();
            if (length < position)
            {
                // A new, shorter ledger (a new lab): its lines are all new.
                position = 0;
            }

            if (length == position)
            {
                return entries;
            }

            var buffer = new byte[(int)Math.Min(length - position, ReadLimit)];
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                file.Seek(position, SeekOrigin.Begin);
                file.ReadExactly(buffer);
            }

            // A line still being written stays for the next poll.
            var complete = Array.LastIndexOf(buffer, (byte)'\n') + 1;
            position += complete;
            foreach (var line in Encoding.UTF8.GetString(buffer, 0, complete).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Parse(line) is { } entry)
                {
                    entries.Add(entry);
                }
            }

            failing = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!failing)
            {
                Log.LedgerUnreadable(logger, path, e.Message);
                failing = true;
            }
        }

        return entries;
    }

    private static LedgerEntry? Parse(string line)
    {
        var fields = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 && long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? new LedgerEntry(DateTimeOffset.FromUnixTimeMilliseconds(ms), fields[1], fields[2])
            : null;
    }
}
