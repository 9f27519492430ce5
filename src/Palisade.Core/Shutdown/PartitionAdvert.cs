using System.Collections.Immutable;

namespace Palisade.Core.Shutdown;

/// <summary>
/// What a shutdown daemon tells the others over the administration LAN (which survives an interconnect cut):
/// its partition, the partition's survival weight, whether it has quorum, and which nodes it is killing.
/// </summary>
public sealed record PartitionAdvert(
    string Cluster,
    string From,
    ImmutableArray<string> Members,
    int Weight,
    bool Quorate,
    ImmutableArray<string> Killing,
    long Sequence);

/// <summary>An advert as this node received it, stamped with this node's clock.</summary>
public sealed record ReceivedAdvert(PartitionAdvert Advert, DateTimeOffset ReceivedAt);
