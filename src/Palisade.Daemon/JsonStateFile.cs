using System.Collections.Immutable;
using System.Text.Json;
using Palisade.Core.Json;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>
/// One JSON file of this node's persistent state on the disk port, in the wire form of the messages. A file that
/// cannot be read or written is reported through <paramref name="failed"/> (what, path, why) and read as empty: the
/// cluster's copy stays the reference.
/// </summary>
internal sealed class JsonStateFile(IStateDisk disk, string fileName, Action<string, string, string> failed)
{
    public string Path => disk.PathOf(fileName);

    public ImmutableArray<T> ReadArray<T>()
    {
        try
        {
            if (disk.Read(fileName) is not { } text)
            {
                return [];
            }

            var items = JsonSerializer.Deserialize(text, MessageCodec.Options.Info<ImmutableArray<T>>());
            return items.IsDefault ? [] : items;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            failed("read from", Path, e.Message);
            return [];
        }
    }

    /// <summary>Writes (atomically, synced) <paramref name="value"/>; false when it could not.</summary>
    public bool Write<T>(ImmutableArray<T> value)
    {
        try
        {
            disk.Write(fileName, JsonSerializer.Serialize(value, MessageCodec.Options.Info<ImmutableArray<T>>()));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            failed("written to", Path, e.Message);
            return false;
        }
    }
}
