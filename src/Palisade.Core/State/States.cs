namespace Palisade.Core.State;

/// <summary>What the cluster believes about a node.</summary>
public enum NodeState
{
    /// <summary>Not a member, and known not to run anything (never joined, left cleanly, or came back after being fenced).</summary>
    Offline,

    /// <summary>Member of the cluster with palisaded running.</summary>
    Online,

    /// <summary>Lost or misbehaving: may still run resources; must be fenced before its groups are recovered.</summary>
    Unclean,

    /// <summary>A shutdown agent is stopping it.</summary>
    Fencing,

    /// <summary>A shutdown agent confirmed it is off.</summary>
    Fenced,
}

public enum GroupState
{
    Offline,
    Starting,
    Online,
    Stopping,
    Failed,
}

public enum ResourceState
{
    Stopped,
    Starting,
    Started,
    Stopping,
    Failed,
}

/// <summary>What the operator wants for a group.</summary>
public enum GroupTarget
{
    Started,
    Stopped,
}

/// <summary>Why a member left the CPG group, as corosync reports it.</summary>
public enum LeaveReason
{
    /// <summary>palisaded left on purpose (clean shutdown).</summary>
    Leave,

    /// <summary>The node's corosync is gone (node dead or cut off).</summary>
    NodeDown,

    /// <summary>palisaded died while its corosync lives.</summary>
    ProcDown,

    Other,
}

public enum AdminAction
{
    Start,
    Stop,
    Move,

    /// <summary>Forget the group's failures: the nodes it failed on and its monitors' recovery counters.</summary>
    Cleanup,
}
