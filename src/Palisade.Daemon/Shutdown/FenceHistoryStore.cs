using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

/// <summary>
/// Keeps the cluster's fence history on this node's disk, so it survives a restart of the whole cluster: written
/// (atomically) whenever it changes, read at start and merged back into the cluster's through the ordered stream.
/// </summary>
internal sealed class FenceHistoryStore(IStateDisk disk, ILogger log)
{
    private readonly JsonStateFile _file = new(disk, "fence-history.json", (what, path, why) => SdLog.HistoryStoreFailed(log, what, path, why));
    private ImmutableList<FenceRecord>? _saved;

    public string Path => _file.Path;

    public ImmutableArray<FenceRecord> Load() => _file.ReadArray<FenceRecord>();

    /// <summary>Writes the history if it differs from what was last written.</summary>
    public void Save(ImmutableList<FenceRecord> history)
    {
        if (ReferenceEquals(history, _saved) || (_saved is not null && history.SequenceEqual(_saved)))
        {
            return;
        }

        if (_file.Write<FenceRecord>([.. history]))
        {
            _saved = history;
        }
    }
}
