namespace Palisade.Core.Tests.Simulation;

/// <summary>Timings of the simulated daemons and agents. The daemon values mirror ClusterHost's constants.</summary>
internal sealed record SimOptions
{
    public static readonly DateTimeOffset Epoch = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public DateTimeOffset Start { get; init; } = Epoch;

    /// <summary>ClusterHost.TickInterval: every node plans on this tick.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>ClusterHost.JoinWindow: how long a forming cluster waits for missing nodes.</summary>
    public TimeSpan JoinWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>ClusterHost.DigestInterval.</summary>
    public TimeSpan DigestInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>ClusterHost.PendingExpiry: a decision not seen back within this is forgotten and may be sent again.</summary>
    public TimeSpan PendingExpiry { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long starting a whole group takes (success or failure with rollback).</summary>
    public TimeSpan StartDuration { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan StopDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one fence attempt (all shutdown agents of the target) takes.</summary>
    public TimeSpan FenceDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Record a violation when the world ledger shows a group on two nodes at once.</summary>
    public bool CheckWorld { get; init; } = true;

    /// <summary>Check that replicas of one partition agree (digests, versions, hashes).</summary>
    public bool CheckAgreement { get; init; } = true;

    /// <summary>Throw at the first invariant violation (with the trace) instead of only recording it.</summary>
    public bool ThrowOnViolation { get; init; }

    /// <summary>Keep a readable trace of everything that happened (for failure messages).</summary>
    public bool Trace { get; init; } = true;
}
