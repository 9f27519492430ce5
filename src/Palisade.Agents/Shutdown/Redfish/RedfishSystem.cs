using System.Collections.Immutable;
using System.Text.Json;

namespace Palisade.Agents;

/// <summary>What the agent reads from a ComputerSystem resource: its power state and how to reset it.</summary>
/// <param name="PowerState">The Redfish value (On, Off, PoweringOn, PoweringOff, Paused), or null when absent.</param>
/// <param name="ResetTarget">The path to POST a reset to: the advertised target, else the conventional one.</param>
/// <param name="AllowedResetTypes">ResetType@Redfish.AllowableValues; empty when the service does not list them.</param>
internal sealed record RedfishSystem(string? PowerState, string ResetTarget, ImmutableArray<string> AllowedResetTypes)
{
    public const string ResetAction = "#ComputerSystem.Reset";

    public PowerState State => PowerState switch
    {
        "On" => Agents.PowerState.On,
        "Off" => Agents.PowerState.Off,
        _ => Agents.PowerState.Unknown,
    };

    /// <summary>True when the service lists its allowed reset types and <paramref name="resetType"/> is not among them.</summary>
    public bool Refuses(string resetType) => !AllowedResetTypes.IsEmpty && !AllowedResetTypes.Contains(resetType);

    public static RedfishSystem From(JsonElement body, string systemPath)
    {
        string? power = body.TryGetProperty("PowerState", out JsonElement state) && state.ValueKind == JsonValueKind.String ? state.GetString() : null;
        string target = $"{systemPath}/Actions/ComputerSystem.Reset";
        ImmutableArray<string> allowed = [];
        if (body.TryGetProperty("Actions", out JsonElement actions) && actions.ValueKind == JsonValueKind.Object
            && actions.TryGetProperty(ResetAction, out JsonElement reset) && reset.ValueKind == JsonValueKind.Object)
        {
            if (reset.TryGetProperty("target", out JsonElement advertised) && advertised.ValueKind == JsonValueKind.String
                && PathOf(advertised.GetString()!) is { } path)
            {
                target = path;
            }

            if (reset.TryGetProperty("ResetType@Redfish.AllowableValues", out JsonElement values) && values.ValueKind == JsonValueKind.Array)
            {
                allowed = [.. values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)];
            }
        }

        return new RedfishSystem(power, target, allowed);
    }

    /// <summary>Targets are paths on the same service; an absolute URI is reduced to its path so the configured BMC is kept.</summary>
    private static string? PathOf(string target)
    {
        if (target.StartsWith('/'))
        {
            return target;
        }

        return Uri.TryCreate(target, UriKind.Absolute, out Uri? uri) && uri.Scheme is "https" or "http" ? uri.AbsolutePath : null;
    }
}
