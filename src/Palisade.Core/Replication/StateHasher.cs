using System.Security.Cryptography;
using System.Text.Json;
using Palisade.Core.Json;
using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Core.Replication;

/// <summary>A short hash of a state, equal on every node that applied the same messages.</summary>
public static class StateHasher
{
    public static string Hash(ClusterState state)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(state, MessageCodec.Options.Info<ClusterState>());
        return Convert.ToHexString(SHA256.HashData(bytes), 0, 12).ToLowerInvariant();
    }
}
