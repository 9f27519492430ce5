using System.Collections.Immutable;

namespace Palisade.Core.State;

public sealed record GroupStatus
{
    public required string Name { get; init; }
    public GroupState State { get; init; } = GroupState.Offline;

    /// <summary>Node where the group is (or was last) active; null when Offline everywhere.</summary>
    public string? Node { get; init; }

    public GroupTarget Target { get; init; } = GroupTarget.Started;

    /// <summary>When an operator last set <see cref="Target"/> (null: it comes from auto_start), by the sender's clock.</summary>
    public DateTimeOffset? TargetSince { get; init; }

    /// <summary>Who last set <see cref="Target"/>.</summary>
    public string? TargetBy { get; init; }

    /// <summary>Node an operator asked the group to move to; cleared once it is Online there.</summary>
    public string? MoveTo { get; init; }

    /// <summary>The recovery ladder restarts the group in place on this node: stopped, then started there again.</summary>
    public string? RestartOn { get; init; }

    /// <summary>Nodes where a start failed since the last operator start; not tried again automatically.</summary>
    public ImmutableSortedSet<string> FailedOn { get; init; } = [];

    public ImmutableSortedDictionary<string, ResourceState> Resources { get; init; } =
        ImmutableSortedDictionary<string, ResourceState>.Empty;

    public string Reason { get; init; } = "not started yet";
    public DateTimeOffset? Since { get; init; }
}
