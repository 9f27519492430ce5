namespace Palisade.Core.Status;

/// <summary>What <c>palisade status</c> shows; the same shape is the JSON output.</summary>
public sealed record StatusReport(
    string Cluster,
    string LocalNode,
    bool Quorate,
    string? Coordinator,
    string Phase,
    long Version,
    IReadOnlyList<NodeReport> Nodes,
    IReadOnlyList<GroupReport> Groups,
    IReadOnlyList<string> Waiting)
{
    /// <summary>Every monitor: its status on each node and the rungs of its recovery ladder used so far.</summary>
    public IReadOnlyList<MonitorReport> Monitors { get; init; } = [];

    /// <summary>Maintenance mode: the cluster starts, stops, recovers and fences nothing (<c>palisade maintenance on|off</c>).</summary>
    public bool Maintenance { get; init; }

    /// <summary>Who turned maintenance on, while it is.</summary>
    public string? MaintenanceBy { get; init; }

    /// <summary>The fencing reachability matrix: what each node's shutdown daemon last found testing each path.</summary>
    public IReadOnlyList<ReachabilityRow> Reachability { get; init; } = [];
}

/// <summary>One path as the shutdown daemon on <paramref name="Tester"/> last tested it.</summary>
/// <param name="Result">worked, failed or untested.</param>
public sealed record ReachabilityRow(string Tester, string Target, int Index, string Agent, string Result, DateTimeOffset? LastWorked);

public sealed record NodeReport(string Name, uint Id, string State, bool Local, bool Member, string Reason, DateTimeOffset? Since)
{
    /// <summary>An operator put the node in standby: no group is placed there (<c>palisade node standby|online</c>).</summary>
    public bool Standby { get; init; }

    /// <summary>Who put the node in standby, while it is.</summary>
    public string? StandbyBy { get; init; }
}

public sealed record GroupReport(
    string Name,
    string State,
    string? Node,
    string Target,
    string? MoveTo,
    string Reason,
    DateTimeOffset? Since,
    IReadOnlyList<ResourceReportLine> Resources)
{
    /// <summary>Nodes the group is kept off until <c>palisade group cleanup</c> (a start, a probe or a failover failed there).</summary>
    public IReadOnlyList<string> FailedOn { get; init; } = [];
}

public sealed record ResourceReportLine(string Name, string Kind, string State);

/// <summary>One monitor: <see cref="Status"/> maps each node to Normal, Warning, Error, Unknown, Offline or Suspended.</summary>
public sealed record MonitorReport(
    string Name,
    string Type,
    IReadOnlyDictionary<string, string> Status,
    string LastReason,
    MonitorCounters Counters,
    string Recovery);

/// <summary>Rungs used so far and their limits.</summary>
public sealed record MonitorCounters(int Restarts, int RestartLimit, int Failovers, int FailoverLimit, int FinalActions, string FinalAction, int Scripts = 0, int ScriptLimit = 0)
{
    /// <summary>The rungs used so far, as status and monitor list print them.</summary>
    public string Text => (ScriptLimit > 0 ? $"scripts {Scripts}/{ScriptLimit}, " : "")
        + $"restarts {Restarts}/{RestartLimit}, failovers {Failovers}/{FailoverLimit}, final {FinalAction} {FinalActions}";
}
