using Palisade.Core.Messages;

namespace Palisade.Signals.Redfish;

/// <summary>
/// Which Redfish messages (DMTF registries, any version) become cluster messages, about the node whose BMC sent them:
/// a power-off or an operating-system crash is <c>NODE</c> (the shutdown daemon then checks it through the node's
/// own agents), a network port's cable or connection is <c>NIC</c>, a failed power supply or a critical temperature
/// is <c>HA/RS</c>. Every other message is not the cluster's business and is left out.
/// </summary>
public static class RedfishMessageMap
{
    private static readonly Dictionary<(string Registry, string Key), (string Category, string? Keyword, NoticeSeverity Severity)> Known = new()
    {
        [("ResourceEvent", "ResourcePoweredOff")] = ("NODE", "power-off", NoticeSeverity.Error),
        [("Platform", "OperatingSystemCrash")] = ("NODE", "os-crash", NoticeSeverity.Error),
        [("NetworkDevice", "CableRemoved")] = ("NIC", null, NoticeSeverity.Error),
        [("NetworkDevice", "ConnectionDropped")] = ("NIC", null, NoticeSeverity.Error),
        [("NetworkDevice", "LinkFlapDetected")] = ("NIC", null, NoticeSeverity.Warning),
        [("NetworkDevice", "DegradedConnectionEstablished")] = ("NIC", null, NoticeSeverity.Warning),
        [("NetworkDevice", "CableInserted")] = ("NIC", null, NoticeSeverity.Clear),
        [("NetworkDevice", "ConnectionEstablished")] = ("NIC", null, NoticeSeverity.Clear),
        [("Power", "PowerSupplyFailed")] = ("HA/RS", "power-supply", NoticeSeverity.Error),
        [("Power", "PowerSupplyRemoved")] = ("HA/RS", "power-supply", NoticeSeverity.Error),
        [("Power", "PowerSupplyInserted")] = ("HA/RS", "power-supply", NoticeSeverity.Clear),
        [("Environmental", "TemperatureAboveUpperCriticalThreshold")] = ("HA/RS", "temperature", NoticeSeverity.Error),
        [("Environmental", "TemperatureAboveUpperFatalThreshold")] = ("HA/RS", "temperature", NoticeSeverity.Error),
        [("Environmental", "TemperatureNoLongerCritical")] = ("HA/RS", "temperature", NoticeSeverity.Clear),
    };

    /// <summary>The MessageIds (without registry version) this map knows, for docs and status.</summary>
    public static IEnumerable<string> KnownMessages => Known.Keys.Select(k => $"{k.Registry}.{k.Key}");

    /// <summary>
    /// The cluster message for <paramref name="e"/> from the BMC of <paramref name="node"/>, or null when the map does not
    /// know it. A network port's keyword is its first argument (the port, e.g. <c>eth0</c>); the id is unique per BMC
    /// record and stays the same when a push and a stream both bring the record.
    /// </summary>
    public static ExternalNotice? Map(RedfishEvent e, string node, string via)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (!Known.TryGetValue((e.Registry, e.Key), out var known))
        {
            return null;
        }

        var keyword = known.Keyword ?? (e.Args.IsDefaultOrEmpty || string.IsNullOrWhiteSpace(e.Args[0]) ? null : e.Args[0]);
        var text = string.IsNullOrWhiteSpace(e.Message) ? e.MessageId : $"{e.Message} ({e.MessageId})";
        var id = $"redfish-{node}-{e.EventId}-{e.Timestamp ?? ""}-{e.Key}";
        if (System.Text.Encoding.UTF8.GetByteCount(id) > ExternalNoticeRules.MaxIdBytes)
        {
            // A BMC's ids are short; a long one is kept unique without being cut.
            id = $"redfish-{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id)))}";
        }
        return new ExternalNotice(known.Category, keyword, known.Severity, text, $"{via}: BMC of {node}", node, id);
    }
}
