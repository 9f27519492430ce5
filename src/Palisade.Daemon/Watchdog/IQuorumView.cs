using Palisade.Corosync;

namespace Palisade.Daemon;

/// <summary>What the watchdog needs from corosync; both calls throw <see cref="CorosyncException"/> when it is gone.</summary>
internal interface IQuorumView
{
    QuorumReading ReadQuorum();

    /// <summary>
    /// Every node's corosync is in this node's membership (votequorum counts all expected votes). Then a lost node is
    /// a palisaded that died, not the other side of a cut: its own watchdog deals with it, and nobody yields. Null
    /// while corosync is busy (TRY_AGAIN), which says nothing either way.
    /// </summary>
    bool? WholeMembership();
}

internal sealed class CorosyncQuorumView(CorosyncLink link) : IQuorumView
{
    public QuorumReading ReadQuorum() => link.ReadQuorum();

    private const int TryAgain = 6;

    public bool? WholeMembership()
    {
        try
        {
            var info = link.GetVotequorumInfo();
            return info.TotalVotes >= info.ExpectedVotes;
        }
        catch (CorosyncException e) when (e.ErrorCode == TryAgain)
        {
            return null;
        }
    }
}

/// <summary>Quorum through the host's corosync port alone: whether the whole membership is present is not known.</summary>
internal sealed class LinkQuorumView(Palisade.Corosync.ICorosyncLink link) : IQuorumView
{
    public QuorumReading ReadQuorum() => link.ReadQuorum();

    public bool? WholeMembership() => null;
}
