using System.Threading.Channels;

namespace Palisade.Corosync;

/// <summary>
/// What palisaded needs of its local corosync: agreed-order sends to the CPG group, the events corosync reports,
/// and the quorum state. <see cref="CorosyncLink"/> is the real one; the simulator provides another.
/// </summary>
public interface ICorosyncLink
{
    /// <summary>This node's corosync node id.</summary>
    uint LocalNodeId { get; }

    /// <summary>Every callback in delivery order; completes after <see cref="CorosyncLost"/>.</summary>
    ChannelReader<CorosyncEvent> Events { get; }

    /// <summary>Multicasts to the group in agreed order.</summary>
    /// <exception cref="CorosyncException">corosync refused the message or stayed busy (CS_ERR_TRY_AGAIN) too long.</exception>
    void Send(ReadOnlySpan<byte> payload);

    /// <summary>Whether this node's partition is quorate; <see cref="QuorumReading.Unknown"/> while corosync is busy (TRY_AGAIN).</summary>
    /// <exception cref="CorosyncException">corosync is gone or refused the call.</exception>
    QuorumReading ReadQuorum();
}
