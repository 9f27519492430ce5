using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>
/// The receiving node's journal of accepted messages: one JSON line each, appended and synced to disk before the
/// sender is answered. Appends that arrive together share one sync (group commit). A message id seen before (in this
/// run or in the journal at start) is a duplicate: acknowledged again, never journaled or applied twice.
/// </summary>
internal sealed class EventJournal : IAsyncDisposable
{
    private const int RememberedIds = 100_000;
    private readonly string _path;
    private readonly TimeProvider _time;
    private readonly Channel<(JournalEntry Entry, TaskCompletionSource<bool> Done)> _queue =
        Channel.CreateUnbounded<(JournalEntry, TaskCompletionSource<bool>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _idOrder = new();
    private readonly Lock _gate = new();
    private readonly Task _writer;
    private FileStream? _file;

    public EventJournal(string path, TimeProvider time)
    {
        _path = path;
        _time = time;
        foreach (var entry in ReadAll(path))
        {
            Remember(entry.Notice.Id);
        }

        _writer = Task.Run(WriteLoopAsync);
    }

    private static JsonSerializerOptions Json => JournalEntry.Json;

    /// <summary>The entries of a journal file; a torn last line (a crash mid-write, never acknowledged) is skipped.</summary>
    public static IEnumerable<JournalEntry> ReadAll(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var line in File.ReadLines(path))
        {
            JournalEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize<JournalEntry>(line, Json);
            }
            catch (JsonException)
            {
                continue;
            }

            if (entry is not null)
            {
                yield return entry;
            }
        }
    }

    /// <summary>True once <paramref name="notice"/> is on disk; false when its id was accepted before (nothing written).</summary>
    public Task<bool> AppendAsync(ExternalNotice notice, string node)
    {
        lock (_gate)
        {
            if (_ids.Contains(notice.Id))
            {
                return Task.FromResult(false);
            }

            Remember(notice.Id);
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite((new JournalEntry(_time.GetUtcNow(), node, notice), done)))
        {
            done.SetException(new IOException("the journal is closed: palisaded is stopping"));
        }

        return done.Task;
    }

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
        var batch = new List<(JournalEntry Entry, TaskCompletionSource<bool> Done)>();
        var text = new StringBuilder();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            text.Clear();
            while (batch.Count < 4096 && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
                text.Append(JsonSerializer.Serialize(item.Entry, Json)).Append('\n');
            }

            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                _file ??= new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 1 << 16);
                var bytes = Encoding.UTF8.GetBytes(text.ToString());
                await _file.WriteAsync(bytes).ConfigureAwait(false);
                _file.Flush(flushToDisk: true);
                batch.ForEach(b => b.Done.TrySetResult(true));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (_gate)
                {
                    batch.ForEach(b => _ids.Remove(b.Entry.Notice.Id));
                }

                batch.ForEach(b => b.Done.TrySetException(new IOException($"the journal {_path} cannot be written: {e.Message}", e)));
            }
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
}
