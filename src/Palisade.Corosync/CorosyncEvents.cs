namespace Palisade.Corosync;

/// <summary>Something corosync reported. Events arrive in the order corosync delivered them.</summary>
public abstract record CorosyncEvent;

/// <summary>A CPG message in agreed order. <paramref name="Pid"/> is the sender's host pid.</summary>
public sealed record CpgMessage(uint NodeId, uint Pid, byte[] Payload) : CorosyncEvent;

/// <summary>The process membership of the joined CPG group changed.</summary>
public sealed record CpgMembershipChanged(
    IReadOnlyList<CpgMember> Members,
    IReadOnlyList<CpgMember> Left,
    IReadOnlyList<CpgMember> Joined) : CorosyncEvent;

/// <summary>The totem ring (corosync node membership) changed; also delivered once right after joining.</summary>
public sealed record TotemMembershipChanged(ulong RingSeq, IReadOnlyList<uint> Members) : CorosyncEvent;

/// <summary>Quorum state and the node ids in the current quorum view.</summary>
public sealed record QuorumChanged(bool Quorate, IReadOnlyList<uint> Members) : CorosyncEvent;

/// <summary>The local corosync died or became unreachable. Always the last event; the channel completes after it.</summary>
public sealed record CorosyncLost(string Reason) : CorosyncEvent;

/// <summary>
/// One process in a CPG membership change. <see cref="Pid"/> is the host pid. corosync fills in a reason only
/// for entries of Left and Joined; entries of <see cref="CpgMembershipChanged.Members"/> carry 0
/// (CPG_REASON_UNDEFINED), which has no named <see cref="CpgReason"/> value.
/// </summary>
public sealed record CpgMember(uint NodeId, uint Pid, CpgReason Reason);

/// <summary>cpg_reason_t values.</summary>
public enum CpgReason
{
    Join = 1,
    Leave = 2,
    NodeDown = 3,
    NodeUp = 4,
    ProcDown = 5,
}

/// <summary>votequorum_getinfo for the local node. <paramref name="RawFlags"/> holds the VOTEQUORUM_INFO_* bits.</summary>
public sealed record VotequorumInfo(
    uint NodeId,
    uint ExpectedVotes,
    uint TotalVotes,
    uint Quorum,
    bool Quorate,
    bool TwoNode,
    bool WaitForAll,
    uint RawFlags);
