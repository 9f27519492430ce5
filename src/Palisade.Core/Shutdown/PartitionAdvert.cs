using System.Collections.Immutable;

namespace Palisade.Core.Shutdown;

/// <summary>
/// What a shutdown daemon tells the others over the administration LAN (which survives an interconnect cut):
/// its partition, the partition's survival weight, whether it has quorum, and which nodes it is killing.
/// </summary>
/// <remarks>
/// <see cref="Instance"/>, <see cref="Sequence"/> and <see cref="SentAt"/> are stamped by <see cref="AdvertStamp"/>
/// just before the advert is signed: they let a receiver refuse a replayed or stale datagram.
/// </remarks>
public sealed record PartitionAdvert(
    string Cluster,
    string From,
    ImmutableArray<string> Members,
    int Weight,
    bool Quorate,
    ImmutableArray<string> Killing)
{
    /// <summary>Random per sending process, so that a restarted sender's sequence may start again from 1.</summary>
    public string Instance { get; init; } = "";

    /// <summary>Strictly increasing within one <see cref="Instance"/>.</summary>
    public long Sequence { get; init; }

    /// <summary>The sender's clock when it sent the advert.</summary>
    public DateTimeOffset SentAt { get; init; }
}

/// <summary>An advert as this node received it, stamped with this node's clock.</summary>
public sealed record ReceivedAdvert(PartitionAdvert Advert, DateTimeOffset ReceivedAt);
