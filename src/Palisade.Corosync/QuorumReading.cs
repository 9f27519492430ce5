using Palisade.Corosync.Native;

namespace Palisade.Corosync;

/// <summary>One answer of quorum_getquorate. Busy is not an answer: it says nothing about quorum.</summary>
public enum QuorumReading
{
    Quorate,
    NotQuorate,

    /// <summary>corosync answered CS_ERR_TRY_AGAIN (membership sync, flow control): ask again later.</summary>
    Unknown,
}

internal static class QuorumReadings
{
    /// <summary>Reads quorum_getquorate's result; null for an error that is neither success nor TRY_AGAIN.</summary>
    public static QuorumReading? From(CsError rc, int quorate) => rc switch
    {
        CsError.Ok => quorate != 0 ? QuorumReading.Quorate : QuorumReading.NotQuorate,
        CsError.TryAgain => QuorumReading.Unknown,
        _ => null,
    };
}
