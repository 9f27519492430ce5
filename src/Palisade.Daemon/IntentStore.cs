using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>
/// Keeps what operators asked of each group (started or stopped) on this node's disk, written and synced whenever the
/// replicated state changes it, and sent with this node's probe after a restart: a group stopped by hand stays
/// stopped when the whole cluster restarts.
/// </summary>
internal sealed class IntentStore(IStateDisk disk, ILogger log)
{
    private const string FileName = "intents.json";
    private ImmutableArray<GroupIntent> _saved = [];

    public string Path => disk.PathOf(FileName);

    public ImmutableArray<GroupIntent> Load()
    {
        try
        {
            if (disk.Read(FileName) is not { } text)
            {
                return [];
            }

            var intents = JsonSerializer.Deserialize<ImmutableArray<GroupIntent>>(text, MessageCodec.Options);
            _saved = intents.IsDefault ? [] : intents;
            return _saved;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            Log.StoreFailed(log, "read from", Path, e.Message);
            return [];
        }
    }

    /// <summary>The newest intent known here for each group: what the next probe report carries.</summary>
    public ImmutableArray<GroupIntent> Current => _saved;

    /// <summary>
    /// Merges the state's intents into those kept (the newer per group wins, so a state formed again from the
    /// configuration never erases one) and writes them if that changed anything; the file is synced before it
    /// replaces the old one.
    /// </summary>
    public void Save(ImmutableArray<GroupIntent> fromState)
    {
        var intents = Merge(_saved, fromState);
        if (intents.SequenceEqual(_saved))
        {
            return;
        }

        try
        {
            disk.Write(FileName, JsonSerializer.Serialize(intents, MessageCodec.Options));
            _saved = intents;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.StoreFailed(log, "written to", Path, e.Message);
        }
    }

    internal static ImmutableArray<GroupIntent> Merge(ImmutableArray<GroupIntent> kept, ImmutableArray<GroupIntent> fromState) =>
    [
        .. kept.Concat(fromState)
            .GroupBy(i => i.Group, StringComparer.Ordinal)
            .Select(g => g.MaxBy(i => i.At)!)
            .OrderBy(i => i.Group, StringComparer.Ordinal),
    ];
}
