namespace Palisade.Agents;

/// <summary>What the shutdown daemon knows of a node's signs of life, as the watchdog agent needs it.</summary>
/// <param name="Watchdog">The node's watchdog device, null when it has none.</param>
/// <param name="WatchdogTimeout">How long the node's watchdog waits unfed before it resets the node.</param>
/// <param name="Member">The node is in this node's corosync membership.</param>
/// <param name="LostAt">When this node first saw it lost (this node's clock); null when it was not seen lost.</param>
/// <param name="LastSignOfLife">The last partition advert received from it (this node's clock), if any.</param>
public sealed record NodeLiveness(string? Watchdog, TimeSpan WatchdogTimeout, bool Member, DateTimeOffset? LostAt, DateTimeOffset? LastSignOfLife);

/// <summary>Answers, at any moment, what is known of a node's signs of life; the daemon keeps it current.</summary>
public interface INodeLiveness
{
    NodeLiveness Of(string node);
}
