namespace Palisade.Core.Replication;

/// <summary>Work the local node must do because of a message it applied.</summary>
public abstract record LocalEffect;

public sealed record StartGroupEffect(string Group, string Reason) : LocalEffect;

public sealed record StopGroupEffect(string Group, string Reason) : LocalEffect;

/// <summary>This node was chosen to fence <paramref name="Target"/>.</summary>
public sealed record FenceEffect(string Target, string Reason) : LocalEffect;

/// <summary>The cluster adopted a group found running here (a probe): watch it like a group started here.</summary>
public sealed record AdoptGroupEffect(string Group) : LocalEffect;

/// <summary>
/// A recovery command to run on this node for error of <paramref name="Monitor"/>: the recovery script
/// (<paramref name="Action"/> <c>script</c>) or the pre-action before a restart, failover or final action.
/// </summary>
/// <summary>The final action stop_cluster_service: palisaded here stops every group and leaves the cluster cleanly.</summary>
public sealed record LeaveClusterEffect(string Reason) : LocalEffect;

public sealed record RecoveryCommandEffect(string Monitor, string Group, string Action, string Command, TimeSpan Timeout) : LocalEffect;
