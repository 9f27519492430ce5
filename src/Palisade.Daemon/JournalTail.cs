using System.Text;
using System.Text.Json;
using Palisade.Core.Json;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>
/// The newest entries of a node's journal of accepted messages, read from the end of its file (then of the rotated
/// one) block by block, so a request for the last hundred never reads the whole journal. Torn lines are skipped.
/// </summary>
internal static class JournalTail
{
    private const int Block = 64 * 1024;

    /// <summary>At most <paramref name="limit"/> entries matching <paramref name="keep"/>, newest first.</summary>
    public static List<JournalEntry> Read(string path, int limit, Func<JournalEntry, bool> keep)
    {
        var found = new List<JournalEntry>();
        foreach (var file in new[] { path, EventJournal.RotatedPath(path) })
        {
            if (found.Count >= limit || !File.Exists(file))
            {
                continue;
            }

            foreach (var line in LinesFromTheEnd(file))
            {
                if (EventJournal.ParseLine(line) is { } entry && keep(entry))
                {
                    found.Add(entry);
                    if (found.Count >= limit)
                    {
                        break;
                    }
                }
            }
        }

        return found;
    }

    /// <summary>The file's lines, last first (a line split across blocks is joined before it is returned).</summary>
    private static IEnumerable<string> LinesFromTheEnd(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var position = stream.Length;
        var carry = Array.Empty<byte>();
        var buffer = new byte[Block];
        while (position > 0)
        {
            var size = (int)Math.Min(Block, position);
            position -= size;
            stream.Position = position;
            stream.ReadExactly(buffer, 0, size);
            var chunk = new byte[size + carry.Length];
            Buffer.BlockCopy(buffer, 0, chunk, 0, size);
            Buffer.BlockCopy(carry, 0, chunk, size, carry.Length);
            var end = chunk.Length;
            for (var i = chunk.Length - 1; i >= 0; i--)
            {
                if (chunk[i] != (byte)'\n')
                {
                    continue;
                }

                if (end - i - 1 > 0)
                {
                    yield return Encoding.UTF8.GetString(chunk, i + 1, end - i - 1);
                }

                end = i;
            }

            carry = chunk[..end];
        }

        if (carry.Length > 0)
        {
            yield return Encoding.UTF8.GetString(carry);
        }
    }
}
