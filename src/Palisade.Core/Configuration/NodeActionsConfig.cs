namespace Palisade.Core.Configuration;

/// <summary>
/// How the final actions that act on the operating system (stop_cluster_service_and_shutdown, _and_reboot, panic) are
/// carried out: by the cluster through the node's own shutdown agents (its BMC; the default), or by the node itself
/// with the commands below (<c>node_actions: {type: system}</c>).
/// </summary>
public sealed record NodeActionsConfig
{
    public const string DefaultPowerOff = "systemctl poweroff";
    public const string DefaultReboot = "systemctl reboot";
    public const string DefaultPanic = "echo c > /proc/sysrq-trigger";

    /// <summary>The node's own commands instead of its shutdown agents.</summary>
    public bool System { get; init; }

    /// <summary>Run by palisaded once it has stopped its groups and left, for stop_cluster_service_and_shutdown.</summary>
    public string PowerOff { get; init; } = DefaultPowerOff;

    /// <summary>Run by palisaded once it has stopped its groups and left, for stop_cluster_service_and_reboot.</summary>
    public string Reboot { get; init; } = DefaultReboot;

    /// <summary>Run by palisaded at once, for panic: the node stops abruptly and the others fence it as lost.</summary>
    public string Panic { get; init; } = DefaultPanic;
}
