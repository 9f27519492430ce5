using System.Text.Json;

namespace Palisade.Agents;

/// <summary>
/// What one Redfish request gave: a status and a JSON body, or a problem (transport, TLS, timeout, non-2xx status)
/// already worded for a reason line, e.g. <c>POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset -> 401 Unauthorized</c>.
/// </summary>
internal sealed record RedfishReply(int? Status, JsonElement Body, string Problem, bool TimedOut, string Excerpt)
{
    /// <summary>Any 2xx: a Reset answered with 200, 202 (task monitor) or 204 has been accepted.</summary>
    public bool Succeeded => Status is >= 200 and < 300;

    /// <summary>The Location header of a 201 Created (a new subscription), when the service gave one.</summary>
    public string? Location { get; init; }

    public AgentOutcome FailureOutcome => TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed;

    /// <summary>A string property of the body, or null when the body is not an object or lacks it.</summary>
    public string? Text(string name) =>
        Body.ValueKind == JsonValueKind.Object && Body.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
