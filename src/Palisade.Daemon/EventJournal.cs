using System.Buffers;
using System.Text.Json;
using System.Threading.Channels;
using Palisade.Core.Json;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>
/// The receiving node's journal of accepted messages: one JSON line each, appended and synced to disk before the
/// sender is answered. Appends that arrive together share one sync (group commit). A message id seen before (in this
/// run or in the journal at start) is a duplicate: acknowledged again, never journaled or applied twice. Past
/// <see cref="MaxBytes"/> the file is rotated to <c>.1</c> (one old file is kept; both are read at start).
/// </summary>
internal sealed class EventJournal : IAsyncDisposable
{
    public const long MaxBytes = 64L << 20;
    private const int RememberedIds = 100_000;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Action<JournalEntry> _onDurable;
    private readonly long _maxBytes;
    private readonly Channel<Item> _queue = Channel.CreateUnbounded<Item>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _idOrder = new();
    private readonly Lock _gate = new();
    private readonly Task _writer;
    private FileStream? _file;

    /// <param name="onDurable">Called for each entry, in order, once it is synced (before its sender is answered).</param>
    /// <param name="maxBytes">Size past which the file is rotated (<see cref="MaxBytes"/> by default).</param>
    public EventJournal(string path, TimeProvider time, Action<JournalEntry>? onDurable = null, long maxBytes = MaxBytes)
    {
        _path = path;
        _maxBytes = maxBytes;
        _time = time;
        _onDurable = onDurable ?? (_ => { });
        foreach (var entry in ReadAll(path))
        {
            Remember(entry.Notice.Id);
        }

        _writer = Task.Run(WriteLoopAsync);
    }

    private static JsonSerializerOptions Json => JournalEntry.Json;

    /// <summary>The file a full journal is rotated to.</summary>
    public static string RotatedPath(string path) => path + ".1";

    /// <summary>
    /// The entries of a journal (its rotated file first); a torn line (a crash mid-write, never acknowledged) is skipped.
    /// </summary>
    public static IEnumerable<JournalEntry> ReadAll(string path) => ReadFile(RotatedPath(path)).Concat(ReadFile(path));

    private static IEnumerable<JournalEntry> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(path))
        {
            if (ParseLine(line) is { } entry)
            {
                yield return entry;
            }
        }
    }

    /// <summary>One line of a journal; null for a line torn by a crash (never acknowledged) or not an entry.</summary>
    public static JournalEntry? ParseLine(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, Json.Info<JournalEntry>());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when a message with this id was accepted before (in this run or in the journal).</summary>
    public bool Knows(string id)
    {
        lock (_gate)
        {
            return _ids.Contains(id);
        }
    }

    /// <summary>True once <paramref name="notice"/> is on disk; false when its id was accepted before (nothing written).</summary>
    public async Task<bool> AppendAsync(ExternalNotice notice, string node, bool held = false, int repeats = 0)
    {
        if (!Reserve(notice.Id))
        {
            return false;
        }

        await WriteAsync([new JournalEntry(_time.GetUtcNow(), node, notice) { Held = held, Repeats = repeats }]).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Takes <paramref name="id"/> for a message about to be written: false when it was accepted before (in this run,
    /// in the journal, or reserved already), so the caller neither writes nor applies it again.
    /// </summary>
    public bool Reserve(string id)
    {
        lock (_gate)
        {
            if (_ids.Contains(id))
            {
                return false;
            }

            Remember(id);
            return true;
        }
    }

    /// <summary>
    /// Queues entries whose ids were reserved, in order; done once all of them are on disk (one acknowledgement for
    /// the lot: they are synced in order, so the last one being on disk means every one is).
    /// </summary>
    public Task WriteAsync(IReadOnlyList<JournalEntry> entries)
    {
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        for (var i = 0; i < entries.Count; i++)
        {
            if (!_queue.Writer.TryWrite(new Item(entries[i], done, null, Last: i == entries.Count - 1)))
            {
                done.TrySetException(new IOException("the journal is closed: palisaded is stopping"));
                break;
            }
        }

        return done.Task;
    }

    /// <summary>Runs <paramref name="after"/> once everything appended before it is on disk, in order with the entries' callbacks.</summary>
    public void After(Action after) => _queue.Writer.TryWrite(new Item(null, null, after));

    private void Remember(string id)
    {
        if (_ids.Add(id))
        {
            _idOrder.Enqueue(id);
            if (_idOrder.Count > RememberedIds)
            {
                _ids.Remove(_idOrder.Dequeue());
            }
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Item>();
        var bytes = new ArrayBufferWriter<byte>(1 << 16);
        using var json = new Utf8JsonWriter(bytes, new JsonWriterOptions { Encoder = Json.Encoder, SkipValidation = true });
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            bytes.ResetWrittenCount();
            while (batch.Count < 4096 && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
                if (item.Entry is not null)
                {
                    json.Reset(bytes);
                    JsonSerializer.Serialize(json, item.Entry, Json.Info<JournalEntry>());
                    json.Flush();
                    bytes.Write("\n"u8);
                }
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                _file ??= new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
                await _file.WriteAsync(bytes.WrittenMemory).ConfigureAwait(false);
                _file.Flush(flushToDisk: true);
                foreach (var b in batch)
                {
                    if (b.Entry is not { } entry)
                    {
                        b.After!();
                        continue;
                    }

                    _onDurable(entry);
                    if (b.Last)
                    {
                        b.Done!.TrySetResult(true);
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (_gate)
                {
                    batch.Where(b => b.Entry is not null).ToList().ForEach(b => _ids.Remove(b.Entry!.Notice.Id));
                }

                batch.ForEach(b => b.Done?.TrySetException(new IOException($"the journal {_path} cannot be written: {e.Message}", e)));
            }

            RotateWhenFull();
        }
    }

    /// <summary>The full file becomes the rotated one (replacing the older); the next write starts a new file.</summary>
    private void RotateWhenFull()
    {
        try
        {
            if (_file is { } file && file.Length > _maxBytes)
            {
                file.Dispose();
                _file = null;
                File.Move(_path, RotatedPath(_path), overwrite: true);
            }
        }
        catch (IOException)
        {
            // Not rotated this time: the journal keeps growing and the next write tries again.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
        if (_file is not null)
        {
            await _file.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One queued entry with its acknowledgement, or an action to run in order once what precedes it is synced.</summary>
    /// <param name="Done">Shared by the entries written together: failed if any of them fails, done after the last.</param>
    private sealed record Item(JournalEntry? Entry, TaskCompletionSource<bool>? Done, Action? After, bool Last = false);
}
