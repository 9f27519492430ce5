using System.Text.Json;
using System.Text.Json.Serialization;
using Palisade.Core.Status;

namespace Palisade.Core.Control;

/// <summary>One request on the local control socket (one JSON object per line).</summary>
public sealed record ControlRequest(string Command, string? Action = null, string? Group = null, string? To = null);

/// <summary>The answer: <see cref="Ok"/> with a message or a status, or an error saying why.</summary>
public sealed record ControlResponse(bool Ok, string? Message = null, string? Error = null, StatusReport? Status = null);

public static class ControlProtocol
{
    public const string DefaultSocketPath = "/run/palisade/palisaded.sock";

    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }
}
