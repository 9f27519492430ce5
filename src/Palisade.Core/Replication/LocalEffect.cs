namespace Palisade.Core.Replication;

/// <summary>Work the local node must do because of a message it applied.</summary>
public abstract record LocalEffect;

public sealed record StartGroupEffect(string Group, string Reason) : LocalEffect;

public sealed record StopGroupEffect(string Group, string Reason) : LocalEffect;

/// <summary>
/// This node was chosen to fence <paramref name="Target"/>; with <paramref name="PowerOnAfter"/>, it powers the target
/// on again once it is confirmed off (a final action's reset or power cycle); with <paramref name="DumpFirst"/>, it
/// sends it a diagnostic interrupt before the chain (a final action's panic).
/// </summary>
public sealed record FenceEffect(string Target, string Reason, bool PowerOnAfter = false, bool DumpFirst = false) : LocalEffect;

/// <summary>The cluster adopted a group found running here (a probe): watch it like a group started here.</summary>
public sealed record AdoptGroupEffect(string Group) : LocalEffect;

/// <summary>
/// The final actions stop_cluster_service (and _and_shutdown, _and_reboot): palisaded here stops every group and leaves
/// the cluster cleanly; with <paramref name="ThenRun"/> (node_actions: system), it then runs that command (poweroff,
/// reboot).
/// </summary>
public sealed record LeaveClusterEffect(string Reason, string? ThenRun = null) : LocalEffect;

/// <summary>An operating-system final action run by this node itself (node_actions: system), e.g. the panic command.</summary>
public sealed record NodeCommandEffect(string Action, string Command, string Reason) : LocalEffect;

/// <summary>
/// A recovery ladder's restart of one resource: <paramref name="Resource"/> and the resources after it in
/// <paramref name="Group"/> are stopped (last first) and started again here; the group stays Online.
/// </summary>
public sealed record RestartResourceEffect(string Group, string Resource, string Reason) : LocalEffect;

/// <summary>
/// The final action stop_resource: <paramref name="Resource"/> and the resources after it in <paramref name="Group"/>
/// are stopped here (last first) and stay stopped; the group stays Online without them.
/// </summary>
public sealed record StopResourceEffect(string Group, string Resource, string Reason) : LocalEffect;

/// <summary>
/// A recovery command to run on this node for error of <paramref name="Monitor"/>: the recovery script
/// (<paramref name="Action"/> <c>script</c>) or the pre-action before a restart, failover or final action.
/// </summary>
public sealed record RecoveryCommandEffect(string Monitor, string Group, string Action, string Command, TimeSpan Timeout) : LocalEffect;
