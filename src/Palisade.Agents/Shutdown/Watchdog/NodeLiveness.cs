namespace Palisade.Agents;

/// <summary>What the shutdown daemon knows of a node's signs of life, as the watchdog agent needs it.</summary>
/// <param name="Watchdog">The node's watchdog device, null when it has none.</param>
/// <param name="WatchdogTimeout">How long the node's watchdog waits unfed before it resets the node.</param>
/// <param name="Member">The node is in this node's corosync membership.</param>
/// <param name="LostAt">When this node first saw it lost (on <see cref="INodeLiveness.Now"/>); null when it was not seen lost.</param>
/// <param name="LastSignOfLife">The last partition advert received from it (on <see cref="INodeLiveness.Now"/>), if any.</param>
public sealed record NodeLiveness(string? Watchdog, TimeSpan WatchdogTimeout, bool Member, DateTimeOffset? LostAt, DateTimeOffset? LastSignOfLife);

/// <summary>Answers, at any moment, what is known of a node's signs of life; the daemon keeps it current.</summary>
public interface INodeLiveness
{
    /// <summary>The steady clock lost times and signs of life are measured on: a wall-clock step never makes a node look down sooner.</summary>
    DateTimeOffset Now { get; }

    NodeLiveness Of(string node);
}
