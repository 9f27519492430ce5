using System.Text.Json;
using System.Text.Json.Serialization;
using Palisade.Core.Status;

namespace Palisade.Core.Control;

/// <summary>One request on the local control socket (one JSON object per line).</summary>
/// <param name="Target">A node name (<c>sd -k</c>, <c>--confirm-down</c>, <c>--history</c>).</param>
/// <param name="Value">An argument: on/off for <c>sd -d</c>, a file for <c>sd -r</c>.</param>
/// <param name="Notice">For <c>notify</c>: the message from the node's hardware or management layer.</param>
/// <param name="Notices">For <c>notify-batch</c>: many messages in one request, journaled with one sync.</param>
/// <param name="DryRun">For group, monitor and kill requests: check and answer with the plan the coordinator would make, send nothing.</param>
public sealed record ControlRequest(string Command, string? Action = null, string? Group = null, string? To = null, string? Target = null, string? Value = null,
    Messages.ExternalNotice? Notice = null, IReadOnlyList<Messages.ExternalNotice>? Notices = null, bool DryRun = false);

/// <summary>The answer: <see cref="Ok"/> with a message or a status, or an error saying why.</summary>
/// <param name="Refused">For <c>notify-batch</c>: the messages refused, each with why; every other one was accepted.</param>
/// <param name="Preview">For a dry run: what the request would change and the orders the coordinator would give.</param>
public sealed record ControlResponse(bool Ok, string? Message = null, string? Error = null, StatusReport? Status = null, SdReport? Sd = null,
    IReadOnlyList<RefusedNotice>? Refused = null, Planning.Preview? Preview = null);

/// <summary>One message of a batch that was refused: its position in the batch, its id and the rule it broke.</summary>
public sealed record RefusedNotice(int Index, string? Id, string Reason);

public static class ControlProtocol
{
    public const string DefaultSocketPath = "/run/palisade/palisaded.sock";

    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Enums as their names (the generated code's string enum converter).
            TypeInfoResolver = Palisade.Core.Json.JsonTypes.Resolver(Palisade.Core.Json.WireJsonContext.Default),
        };
        o.MakeReadOnly();
        return o;
    }
}
