namespace Palisade.Daemon;

/// <summary>Where this node's watchdog stands.</summary>
internal enum WatchdogState
{
    /// <summary>The node has no watchdog.</summary>
    None,

    /// <summary>Opened and fed while the node waits for its first quorum: a node that never had quorum runs and fences nothing.</summary>
    Arming,

    /// <summary>Fed: the node is healthy.</summary>
    Feeding,

    /// <summary>No longer fed, for good: the device resets the node within its timeout.</summary>
    Starving,

    /// <summary>Closed with the magic character on a clean leave: the device no longer resets the node.</summary>
    Disarmed,
}

/// <summary>What the host knows at a tick, from which the watchdog decides whether the node is healthy.</summary>
/// <param name="CorosyncAlive">The local corosync answers.</param>
/// <param name="Quorate">This node's partition has quorum.</param>
/// <param name="Yielding">
/// Why this node yields a two-node split (partition resolution gives the other side the win, from the state both
/// sides held), or null when it does not.
/// </param>
internal sealed record WatchdogFacts(bool CorosyncAlive, bool Quorate, string? Yielding)
{
    /// <summary>Why the node is not healthy, or null when it is.</summary>
    public string? Problem =>
        !CorosyncAlive ? "the local corosync does not answer"
        : !Quorate ? "this partition lost quorum"
        : Yielding is not null ? $"this node yields the two-node split: {Yielding}"
        : null;
}

/// <summary>
/// This node's watchdog, fed from the host loop: a host loop that hangs stops feeding it as surely as one that
/// decides the node is unhealthy. The simulator drives it through the same two calls.
/// </summary>
internal interface IWatchdog : IDisposable
{
    WatchdogState State { get; }

    /// <summary>Why the node stopped feeding, once it has.</summary>
    string? StarvingBecause { get; }

    /// <summary>Called at every host tick: feeds the device when due and the node is healthy; stops feeding for good otherwise.</summary>
    void Observe(WatchdogFacts facts);

    /// <summary>A clean leave: writes the magic character and closes, unless the node already stopped feeding (then it stays armed).</summary>
    void Disarm();
}

/// <summary>A node without a watchdog.</summary>
internal sealed class NoWatchdog : IWatchdog
{
    public static readonly NoWatchdog Instance = new();

    public WatchdogState State => WatchdogState.None;

    public string? StarvingBecause => null;

    public void Observe(WatchdogFacts facts)
    {
    }

    public void Disarm()
    {
    }

    public void Dispose()
    {
    }
}
