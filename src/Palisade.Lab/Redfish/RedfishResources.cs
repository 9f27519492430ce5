using System.Text.Json.Nodes;

namespace Palisade.Lab.Redfish;

/// <summary>The few Redfish resources a lab BMC serves (one computer system, Id "1"), as JSON.</summary>
internal static class RedfishResources
{
    public const string Root = "/redfish/v1";
    public const string Systems = Root + "/Systems";
    public const string System = LabBmcAccess.RedfishSystemPath;
    public const string ResetAction = System + "/Actions/ComputerSystem.Reset";

    /// <summary>Reset types in the order the system advertises them, with the power change each makes.</summary>
    public static readonly IReadOnlyList<(string ResetType, PowerChange Change)> ResetTypes =
    [
        ("On", PowerChange.On),
        ("ForceOff", PowerChange.Off),
        ("ForceRestart", PowerChange.Reset),
        // The lab's nodes have no ACPI to ask for a clean shutdown: it cuts the power like ForceOff.
        ("GracefulShutdown", PowerChange.Off),
        // A diagnostic interrupt: the node panics into its crash-dump kernel, as with 'palisade lab panic'.
        ("Nmi", PowerChange.Nmi),
    ];

    public static JsonObject Versions() => new() { ["v1"] = Root + "/" };

    public static JsonObject ServiceRoot(string node) => new()
    {
        ["@odata.id"] = Root,
        ["@odata.type"] = "#ServiceRoot.v1_5_0.ServiceRoot",
        ["Id"] = "RootService",
        ["Name"] = $"Palisade lab BMC of {node}",
        ["RedfishVersion"] = "1.6.0",
        ["Systems"] = Link(Systems),
        ["EventService"] = Link(RedfishEvents.Service),
    };

    public static JsonObject SystemCollection() => new()
    {
        ["@odata.id"] = Systems,
        ["@odata.type"] = "#ComputerSystemCollection.ComputerSystemCollection",
        ["Name"] = "Computer System Collection",
        ["Members@odata.count"] = 1,
        ["Members"] = new JsonArray(Link(System)),
    };

    public static JsonObject ComputerSystem(string node, bool on) => new()
    {
        ["@odata.id"] = System,
        ["@odata.type"] = "#ComputerSystem.v1_10_0.ComputerSystem",
        ["Id"] = "1",
        ["Name"] = node,
        ["HostName"] = node,
        ["PowerState"] = on ? "On" : "Off",
        ["Actions"] = new JsonObject
        {
            ["#ComputerSystem.Reset"] = new JsonObject
            {
                ["target"] = ResetAction,
                ["ResetType@Redfish.AllowableValues"] = new JsonArray([.. ResetTypes.Select(r => (JsonNode)r.ResetType)]),
            },
        },
    };

    /// <summary>A Redfish error body: a message registry code and a sentence for people.</summary>
    public static JsonObject Error(string code, string message) => new()
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
        },
    };

    private static JsonObject Link(string path) => new() { ["@odata.id"] = path };
}
