using System.Text.Json;
using Palisade.Core.Json;

namespace Palisade.Core.Messages;

/// <summary>Wire form of cluster messages: UTF-8 JSON, the same on every node.</summary>
public static class MessageCodec
{
    public static readonly JsonSerializerOptions Options = CreateOptions();

    public static byte[] Encode(ClusterMessage message) =>
        JsonSerializer.SerializeToUtf8Bytes(message, Options.Info<ClusterMessage>());

    /// <summary>Decodes a message; throws <see cref="JsonException"/> with the reason on malformed input.</summary>
    public static ClusterMessage Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            return JsonSerializer.Deserialize(payload, Options.Info<ClusterMessage>()) ?? throw new JsonException("empty message");
        }
        catch (NotSupportedException ex)
        {
            // e.g. no type discriminator: as malformed as any other bad payload, and reported the same way.
            throw new JsonException(ex.Message, ex);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            // A message missing a field, or with null where none is allowed, is malformed: reject it here rather than
            // let a half-built message reach the state machine.
            RespectRequiredConstructorParameters = true,
            RespectNullableAnnotations = true,
            // Enums as their names (the generated code's string enum converter).
            TypeInfoResolver = JsonTypes.Resolver(WireJsonContext.Default),
        };
        options.MakeReadOnly();
        return options;
    }
}
