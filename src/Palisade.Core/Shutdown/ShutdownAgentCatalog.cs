using System.Collections.Immutable;

namespace Palisade.Core.Shutdown;

/// <summary>
/// Every shutdown agent type Palisade knows, with its parameters. A new type is one more declaration here plus its
/// implementation in Palisade.Agents; configuration, redaction, help and docs follow from the declaration.
/// </summary>
public static class ShutdownAgentCatalog
{
    private static readonly AgentParameterSpec[] Credentials =
    [
        AgentParameterSpec.Text("user", "BMC user name", required: true),
        AgentParameterSpec.Password("password", "password, inline (prefer password_file)"),
        AgentParameterSpec.Path("password_file", "file holding the password (a trailing newline is ignored), read at each use"),
    ];

    private static readonly AgentParameterSpec Method =
        AgentParameterSpec.Choice("method", "onoff: power off and confirm off; cycle: power off, confirm off, then power on again", "onoff", "onoff", "cycle");

    public static readonly AgentTypeSpec Ipmi = new(
        "ipmi",
        "Power control through the node's BMC over IPMI v2.0 (ipmitool lanplus)",
        AgentRole.Stops,
        [
            AgentParameterSpec.Host("address", "BMC address or host name", required: true),
            AgentParameterSpec.Integer("port", "BMC UDP port (RMCP+)", 1, 65535, 623),
            .. Credentials,
            AgentParameterSpec.Integer("cipher", "IPMI v2.0 cipher suite id (ipmitool -C)", 0, 17, 3),
            AgentParameterSpec.Choice("privilege", "privilege level of the session (ipmitool -L)", "ADMINISTRATOR",
                "CALLBACK", "USER", "OPERATOR", "ADMINISTRATOR"),
            Method,
        ])
    {
        ExactlyOneOf = [["password", "password_file"]],
    };

    public static readonly AgentTypeSpec Redfish = RedfishLike(
        "redfish",
        "Power control through the node's BMC over Redfish (HTTPS: ComputerSystem.Reset, PowerState polling)",
        systemDefault: null);

    public static readonly AgentTypeSpec Irmc = RedfishLike(
        "irmc",
        "Fujitsu iRMC through its Redfish service (the redfish agent with iRMC's system path)",
        systemDefault: "/redfish/v1/Systems/0");

    public static readonly AgentTypeSpec FenceAgent = new(
        "fence-agent",
        "Any ClusterLabs fence_* agent, run through its stdin key=value protocol; other keys are the agent's own options",
        AgentRole.Stops,
        [
            AgentParameterSpec.Text("agent", "the fence agent: a name such as fence_ipmilan (looked up in /usr/sbin, /sbin, PATH) or an absolute path", required: true),
            .. FenceAgentCommon(),
        ])
    {
        PassesOptionsThrough = true,
        AtMostOneOf = [["password", "password_file"]],
    };

    public static readonly AgentTypeSpec Kdump = new(
        "kdump",
        "Waits for the node's crash-dump kernel to announce itself (fence_kdump protocol); confirms, never stops; put it first",
        AgentRole.ConfirmsOnly,
        [
            AgentParameterSpec.Hosts("addresses", "addresses the announcement may come from (default: the node's interconnect and admin addresses)"),
            AgentParameterSpec.Integer("port", "UDP port to listen on, on this node's own interconnect and admin addresses only", 1, 65535, 7410),
        ]);

    public static readonly AgentTypeSpec Icmp = new(
        "icmp",
        "Confirms the node is down when none of its addresses answers ping; never stops a node",
        AgentRole.ConfirmsOnly,
        [
            AgentParameterSpec.Hosts("addresses", "addresses to ping; every one must stay silent (default: the node's interconnect and admin addresses)"),
            AgentParameterSpec.Integer("count", "echo requests per address", 1, 100, 3),
            AgentParameterSpec.Integer("interval", "milliseconds between echo requests", 100, 10000, 300),
        ])
    {
        ConfirmsBySilence = true,
    };

    public static readonly AgentTypeSpec Watchdog = new(
        "watchdog",
        "Confirms the node is down once its own watchdog must have reset it: twice `shutdown.watchdog_timeout` after the "
            + "node was lost (or after its last partition advert, if later); a sign of life during the wait (back in the "
            + "membership, an advert) fails the attempt. Appended to the chain of every node with a `watchdog` device unless "
            + "written; needs that device",
        AgentRole.ConfirmsOnly,
        [])
    {
        Automatic = true,
    };

    public static readonly AgentTypeSpec Libvirt = Preset(
        "libvirt",
        "A KVM/libvirt guest, through fence_virtd's tcp listener (fence_virt client): set ipaddr and ipport (default 1229) of the "
            + "listener and key_file, its shared key; plug is the libvirt domain name or UUID, and must be in fence_virt's list "
            + "(checked before every kill and test)",
        "fence_virt");

    public static readonly ImmutableArray<AgentTypeSpec> All =
    [
        Ipmi,
        FenceAgent,
        Redfish,
        Irmc,
        Kdump,
        Icmp,
        Watchdog,
        Libvirt,
        Preset("aws", "An AWS EC2 instance (fence_aws); plug is the instance id", "fence_aws"),
        Preset("azure", "An Azure virtual machine (fence_azure_arm); plug is the VM name", "fence_azure_arm"),
        Preset("gce", "A Google Compute Engine instance (fence_gce); plug is the instance name", "fence_gce"),
        Preset("openstack", "An OpenStack server (fence_openstack); plug is the server id or name", "fence_openstack"),
        Preset("vmware", "A VMware vCenter virtual machine (fence_vmware_rest); plug is the VM name", "fence_vmware_rest"),
    ];

    public static AgentTypeSpec? Find(string type) =>
        All.FirstOrDefault(a => string.Equals(a.Type, type, StringComparison.OrdinalIgnoreCase));

    public static string KnownTypes => string.Join(", ", All.Select(a => a.Type));

    /// <summary>The confirm-only types, for messages: "kdump, icmp, watchdog".</summary>
    public static string ConfirmOnlyTypes => string.Join(", ", All.Where(a => a.ConfirmsOnly).Select(a => a.Type));

    private static AgentTypeSpec RedfishLike(string type, string description, string? systemDefault) => new(
        type,
        description,
        AgentRole.Stops,
        [
            AgentParameterSpec.Host("address", "BMC address or host name", required: true),
            AgentParameterSpec.Integer("port", "BMC HTTPS port", 1, 65535, 443),
            .. Credentials,
            AgentParameterSpec.Text("system", "the ComputerSystem resource to control"
                + (systemDefault is null ? " (default: the only member of /redfish/v1/Systems)" : ""), defaultValue: systemDefault),
            AgentParameterSpec.Flag("verify_tls", "verify the BMC's certificate (turn off only for a lab)", true),
            AgentParameterSpec.Path("ca_file", "PEM file of the authority that signed the BMC's certificate (default: the system's)"),
            Method,
        ])
    {
        ExactlyOneOf = [["password", "password_file"]],
    };

    private static AgentParameterSpec[] FenceAgentCommon() =>
    [
        AgentParameterSpec.Text("plug", "what the agent calls this node (plug, port, VM, instance); default: the node's name, when the agent "
            + "takes a plug that names the node (not fence_ipmilan's, which names the BMC)"),
        AgentParameterSpec.Choice("action", "off: switch off and confirm with status; reboot: the agent's own reboot", "off", "off", "reboot"),
        AgentParameterSpec.Path("password_file", "file holding the agent's password, passed as password= on its stdin"),
    ];

    private static AgentTypeSpec Preset(string type, string description, string fenceAgent) => new(type, description, AgentRole.Stops, [.. FenceAgentCommon()])
    {
        PassesOptionsThrough = true,
        FenceAgent = fenceAgent,
        AtMostOneOf = [["password", "password_file"]],
    };
}
