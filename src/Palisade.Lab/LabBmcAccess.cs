namespace Palisade.Lab;

/// <summary>
/// How software on a lab node reaches the simulated BMCs: what a cluster config needs to declare IPMI or
/// Redfish shutdown agents (the BMC address of a node is <see cref="LabNodeStatus.Bmc"/>), and the port
/// a crashed node's kdump announcements go to.
/// </summary>
public static class LabBmcAccess
{
    /// <summary>The one BMC account, for IPMI and Redfish alike.</summary>
    public const string User = "admin";

    /// <summary>The BMC password as every node sees it (mode 600; the same for both BMCs of every node).</summary>
    public const string PasswordFileOnNode = "/etc/palisade/bmc.pass";

    /// <summary>The lab CA that signed every Redfish BMC certificate (SAN = the BMC's IP address), on every node.</summary>
    public const string CaFileOnNode = "/etc/palisade/lab-ca.pem";

    public const int IpmiPort = 623;

    /// <summary>The simulated IPMI BMC lacks cipher suite 17; without suite 3 every call waits ~10 s for a fallback.</summary>
    public const string IpmiCipher = "3";

    /// <summary>HTTPS port of the Redfish BMCs (same address as the node's IPMI BMC).</summary>
    public const int RedfishPort = 443;

    /// <summary>The one computer system each Redfish BMC manages.</summary>
    public const string RedfishSystemPath = "/redfish/v1/Systems/1";

    /// <summary>UDP port the fence_kdump protocol uses; <c>lab panic</c> announces to it.</summary>
    public const int KdumpPort = 7410;
}
