using System.Text.Json;
using System.Text.Json.Serialization;

namespace Palisade.Core.Messages;

/// <summary>Wire form of cluster messages: UTF-8 JSON, the same on every node.</summary>
public static class MessageCodec
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static byte[] Encode(ClusterMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, Options);

    /// <summary>Decodes a message; throws <see cref="JsonException"/> with the reason on malformed input.</summary>
    public static ClusterMessage Decode(ReadOnlySpan<byte> payload) =>
        JsonSerializer.Deserialize<ClusterMessage>(payload, Options)
        ?? throw new JsonException("empty message");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
