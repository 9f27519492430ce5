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
internal sealed class FenceHistoryStore(string path, ILogger log)
{
    private ImmutableList<FenceRecord>? _saved;

    public string Path { get; } = path;

    public ImmutableArray<FenceRecord> Load()
    {
        try
        {
            if (!File.Exists(Path))
            {
                return [];
            }

            var records = JsonSerializer.Deserialize<ImmutableArray<FenceRecord>>(File.ReadAllText(Path), MessageCodec.Options);
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
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var temporary = Path + ".new";
            File.WriteAllText(temporary, JsonSerializer.Serialize(history, MessageCodec.Options));
            File.Move(temporary, Path, overwrite: true);
            _saved = history;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SdLog.HistoryStoreFailed(log, "written to", Path, e.Message);
        }
    }
}
