using Palisade.Lab;

namespace Palisade.Bench;

/// <summary>
/// Shutdown agents aimed at the lab's simulated BMCs, as YAML flow mappings for a node's <c>shutdown_agents</c>.
/// The same text serves the lab clusters and the test-cycle worker, so both measure identically configured agents.
/// </summary>
internal static class BenchAgents
{
    /// <summary>An address on the BMC LAN where nothing answers: a BMC that is gone.</summary>
    public const string DeadBmc = "198.18.0.230";

    /// <summary>The BMC address of lab node <paramref name="node"/> (1-based), IPMI and Redfish alike.</summary>
    public static string Bmc(int node) => $"198.18.0.{200 + node}";

    public static string Ipmi(string address, int timeoutSeconds = 10) =>
        $"{{type: ipmi, address: {address}, port: {LabBmcAccess.IpmiPort}, user: {LabBmcAccess.User}, "
        + $"password_file: {LabBmcAccess.PasswordFileOnNode}, cipher: {LabBmcAccess.IpmiCipher}, timeout: {timeoutSeconds}s}}";

    /// <summary>fence_ipmilan over lanplus; cipher 3 because the simulated BMC lacks suite 17 and would stall every call.</summary>
    public static string FenceIpmilan(string address) =>
        $"{{type: fence-agent, agent: fence_ipmilan, ip: {address}, username: {LabBmcAccess.User}, "
        + $"password_file: {LabBmcAccess.PasswordFileOnNode}, lanplus: '1', cipher: '{LabBmcAccess.IpmiCipher}', timeout: 30s}}";

    public static string Redfish(string address, int timeoutSeconds = 10) =>
        $"{{type: redfish, address: {address}, port: {LabBmcAccess.RedfishPort}, user: {LabBmcAccess.User}, "
        + $"password_file: {LabBmcAccess.PasswordFileOnNode}, ca_file: {LabBmcAccess.CaFileOnNode}, timeout: {timeoutSeconds}s}}";
}
