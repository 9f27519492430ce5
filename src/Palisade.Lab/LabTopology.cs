using System.Text.RegularExpressions;

namespace Palisade.Lab;

/// <summary>Fixed names and addresses of the lab network (198.18.0.0/24, split in two /25).</summary>
internal static partial class LabTopology
{
    public const string NamespacePrefix = "pal-";
    public const string SwitchNamespace = "pal-sw";
    public const string BmcNamespace = "pal-bmc";
    public const string InterconnectBridge = "br-ic";
    public const string AdminBridge = "br-adm";

    /// <summary>A second interconnect bridge for <c>lab split</c>: the nodes moved there form their own partition.</summary>
    public const string IslandBridge = "br-ic-island";
    public const string SwitchInterconnectAddress = "198.18.0.1";
    public const string SwitchAdminAddress = "198.18.0.129";
    public const int PrefixLength = 25;

    /// <summary>The whole lab network: both halves.</summary>
    public const string Network = "198.18.0.0/24";
    public const int MaxNodes = 32;

    /// <summary>The BMC namespace's end of its veth pair, in pal-sw on br-adm.</summary>
    public const string BmcSwitchPort = "bmc-adm";
    public const string BmcInterface = "bmc0";
    public const string NodeInterconnectInterface = "ic0";
    public const string NodeAdminInterface = "adm0";

    /// <summary>
    /// A veth pair inside every node that carries nothing, for nic monitors: <c>lab link NODE mon0 down</c> takes the
    /// link down by hand, <c>lab link NODE mon0-peer down</c> takes its carrier away. Corosync and the BMCs never use it.
    /// </summary>
    public const string NodeMonitorInterface = "mon0";
    public const string NodeMonitorPeer = "mon0-peer";

    /// <summary>
    /// Node names become namespace, host and interface names: "&lt;name&gt;-adm" must fit IFNAMSIZ (15),
    /// and "sw"/"bmc" would collide with the lab's own namespaces.
    /// </summary>
    public static string? CheckNodeName(string name)
    {
        if (!NodeNamePattern().IsMatch(name))
        {
            return $"node name '{name}' cannot be used in the lab: it needs 1-11 characters a-z, 0-9 or '-', starting with a letter";
        }

        return name is "sw" or "bmc" ? $"node name '{name}' is reserved by the lab" : null;
    }

    [GeneratedRegex("^[a-z][a-z0-9-]{0,10}$")]
    private static partial Regex NodeNamePattern();
}

/// <summary>One node of the lab; <see cref="Index"/> is its 1-based position in the config's node list.</summary>
internal sealed record LabNode(string Name, uint Id, int Index)
{
    public string Namespace => LabTopology.NamespacePrefix + Name;

    public string InterconnectAddress => $"198.18.0.{10 + Index}";

    public string AdminAddress => $"198.18.0.{140 + Index}";

    public string BmcAddress => $"198.18.0.{200 + Index}";

    public string SwitchInterconnectPort => Name + "-ic";

    public string SwitchAdminPort => Name + "-adm";
}
