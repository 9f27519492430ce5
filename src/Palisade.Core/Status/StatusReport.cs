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
    IReadOnlyList<string> Waiting);

public sealed record NodeReport(string Name, uint Id, string State, bool Local, bool Member, string Reason, DateTimeOffset? Since);

public sealed record GroupReport(
    string Name,
    string State,
    string? Node,
    string Target,
    string? MoveTo,
    string Reason,
    DateTimeOffset? Since,
    IReadOnlyList<ResourceReportLine> Resources);

public sealed record ResourceReportLine(string Name, string Kind, string State);
