namespace Palisade.Core.Shutdown;

/// <summary>What a shutdown agent is doing or last did for one target node, as this node's shutdown daemon sees it.</summary>
public enum SaState
{
    Idle,
    Initing,
    InitWorked,
    InitFailed,
    Testing,
    TestWorked,
    TestFailed,
    Killing,
    KillWorked,
    KillFailed,
    UnIniting,
    UnInitWorked,
    UnInitFailed,
}

/// <summary>The last kill of a target through one agent, by any node of the cluster.</summary>
public enum ShutState
{
    Unknown,
    Killing,
    KillWorked,
    KillFailed,
}

/// <summary>The last periodic test of the fencing path from this node to a target through one agent.</summary>
public enum TestState
{
    Unknown,
    Testing,
    TestWorked,
    TestFailed,
}

/// <summary>Whether the agent could be set up on this node (parameters, binaries, credentials).</summary>
public enum InitState
{
    Unknown,
    Initing,
    InitWorked,
    InitFailed,
}

/// <summary>How one entry of the fence history ended.</summary>
public enum FenceResult
{
    /// <summary>The agent confirmed the target is off (or announced, or silent on every route).</summary>
    Worked,
    Failed,
    TimedOut,

    /// <summary>The agent could not even run: parameters, binary or credentials missing.</summary>
    NotConfigured,

    /// <summary>An operator confirmed by hand that the node is down.</summary>
    ConfirmedByOperator,

    /// <summary>The node was seen to restart cleanly after being lost, so it was not fenced.</summary>
    RestartedCleanly,

    /// <summary>
    /// A message reported the node down and one of its own agents confirmed it (power read back off, or its crash-dump
    /// kernel announced itself): the event path, ahead of corosync.
    /// </summary>
    ConfirmedByEvent,
}

/// <summary>Why a node is being stopped.</summary>
public enum FenceOrigin
{
    /// <summary>The node was lost or misbehaved; recovery of its groups waits for the kill.</summary>
    Recovery,

    /// <summary>Partition resolution: this partition outweighs the node's.</summary>
    Partition,

    /// <summary>Asked for: <c>palisade sd -k</c>, or a monitor's final action <c>bmc_power_off</c>.</summary>
    Requested,
}

/// <summary>The exact words operators see for the shutdown states.</summary>
public static class ShutdownText
{
    public static string Of(SaState state) => state switch
    {
        SaState.Initing => "Init-ing",
        SaState.UnIniting => "UnInit-ing",
        _ => state.ToString(),
    };

    public static string Of(InitState state) => state == InitState.Initing ? "Init-ing" : state.ToString();

    public static string Of(ShutState state) => state.ToString();

    public static string Of(TestState state) => state.ToString();
}
