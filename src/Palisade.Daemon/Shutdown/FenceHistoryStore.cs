using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

/// <summary>
/// Keeps the cluster's fence history on this node's disk, so it survives a restart of the whole cluster: written
/// (atomically) whenever it changes, read at start and merged back into the cluster's through the ordered stream.
/// </summary>
internal sealed class FenceHistoryStore(IStateDisk disk, ILogger log)
{
    private const string FileName = "fence-history.json";
    private ImmutableList<FenceRecord>? _saved;

    public string Path => disk.PathOf(FileName);

    public ImmutableArray<FenceRecord> Load()
    {
        try
        {
            if (disk.Read(FileName) is not { } text)
            {
                return [];
            }

            var records = JsonSerializer.Deserialize<ImmutableArray<FenceRecord>>(text, MessageCodec.Options);
            return records.IsDefault ? [] : records;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            SdLog.HistoryStoreFailed(log, "read from", Path, e.Message);
            return [];
        }
    }

    /// <summary>Writes the history if it differs from what was last written.</summary>
    public void Save(ImmutableList<FenceRecord> history)
    {
        if (ReferenceEquals(history, _saved) || (_saved is not null && history.SequenceEqual(_saved)))
        {
            return;
        }

        try
        {
            disk.Write(FileName, JsonSerializer.Serialize(history, MessageCodec.Options));
            _saved = history;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SdLog.HistoryStoreFailed(log, "written to", Path, e.Message);
        }
    }
}
