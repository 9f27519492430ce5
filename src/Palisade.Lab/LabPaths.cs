namespace Palisade.Lab;

/// <summary>Layout of the lab's state directory.</summary>
internal sealed class LabPaths(string root)
{
    /// <summary>Per-node directories bound over the host paths corosync and palisaded use (see node-boot).</summary>
    public static readonly IReadOnlyList<(string Dir, string MountPoint)> NodeMounts =
    [
        ("etc-corosync", "/etc/corosync"),
        ("lib-corosync", "/var/lib/corosync"),
        ("log-corosync", "/var/log/corosync"),
        ("etc-palisade", "/etc/palisade"),
        ("lib-palisade", "/var/lib/palisade"),
        ("log-palisade", "/var/log/palisade"),
    ];

    public string Root { get; } = Path.GetFullPath(root);

    public string Bin => Path.Combine(Root, "bin");

    public string Ledger => Path.Combine(Root, "ledger");

    public string BmcPassword => Path.Combine(Root, "bmc.pass");

    public string ClusterYaml => Path.Combine(Root, "palisade.yaml");

    public string StateFile => Path.Combine(Root, "lab.json");

    public string PowerScript => Path.Combine(Bin, "power");

    public string NodeStartScript => Path.Combine(Bin, "node-start");

    public string NodeBootScript => Path.Combine(Bin, "node-boot");

    public string NodeDir(string node) => Path.Combine(Root, "nodes", node);

    public string NodeSubdir(string node, string dir) => Path.Combine(NodeDir(node), dir);

    public string InitPid(string node) => Path.Combine(NodeDir(node), "init.pid");

    public string BootLog(string node) => Path.Combine(NodeDir(node), "boot.log");

    public string BmcDir(string node) => Path.Combine(Root, "bmc", node);

    public string BmcLog(string node) => Path.Combine(BmcDir(node), "ipmi_sim.log");

    /// <summary>The lab CA's certificate; its private key is discarded once the BMC certificates are signed.</summary>
    public string CaCertificate => Path.Combine(Root, "lab-ca.pem");

    public string RedfishCertificate(string node) => Path.Combine(BmcDir(node), "redfish.pem");

    public string RedfishKey(string node) => Path.Combine(BmcDir(node), "redfish.key");

    /// <summary>Output of the one Redfish BMC process serving every node.</summary>
    public string RedfishLog => Path.Combine(Root, "bmc", "redfish.log");

    /// <summary>Exists while the node has panicked (see the power script); its BMCs report power on.</summary>
    public string PanicMarker(string node) => Path.Combine(NodeDir(node), "panicked");

    /// <summary>Output of the node's kdump announcer, rewritten at every panic.</summary>
    public string KdumpLog(string node) => Path.Combine(NodeDir(node), "kdump.log");
}
