namespace Palisade.Core.Shutdown;

/// <summary>
/// The sending side's replay protection: one random instance id per process (made by the caller), a sequence that
/// only goes up, and the sender's clock. Thread-safe: adverts go out from a timer and at once on a membership change.
/// </summary>
public sealed class AdvertStamp(string instance)
{
    private long _sequence;

    public string Instance { get; } = instance;

    public PartitionAdvert Stamp(PartitionAdvert advert, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(advert);
        return advert with { Instance = Instance, Sequence = Interlocked.Increment(ref _sequence), SentAt = now };
    }
}
