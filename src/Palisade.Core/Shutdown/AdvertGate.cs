using Palisade.Core.Configuration;

namespace Palisade.Core.Shutdown;

/// <summary>One received advert's fate: accepted (with the advert) or refused (with the reason).</summary>
public sealed record AdvertVerdict(PartitionAdvert? Advert, AdvertRefusal Refusal, string Reason)
{
    public bool Accepted => Advert is not null;
}

/// <summary>
/// The receiving side of partition adverts: believes a datagram only when it is signed with the cluster key, names
/// this cluster and one of its nodes, comes from that node's admin address, was sent within
/// <see cref="ClockWindow"/> of this node's clock, and carries a sequence above the last one accepted from the same
/// sender instance. Not thread-safe: one receive loop owns it.
/// </summary>
public sealed class AdvertGate(ClusterConfig config, ClusterKey key)
{
    /// <summary>
    /// How far an advert's send time may lie from this node's clock, either way. Node clocks must agree to well within
    /// this (NTP); an advert captured and replayed later than this is refused even from a new instance.
    /// </summary>
    public static readonly TimeSpan ClockWindow = TimeSpan.FromSeconds(10);

    /// <summary>Instances remembered per sender: a sender restarting more often than this within the window is odd anyway.</summary>
    private const int InstancesPerSender = 4;

    private readonly Dictionary<string, List<(string Instance, long Sequence)>> _last = new(StringComparer.Ordinal);

    /// <param name="now">This node's clock when the datagram arrived.</param>
    public AdvertVerdict Admit(ReadOnlySpan<byte> datagram, string sourceAddress, DateTimeOffset now)
    {
        var (advert, refusal, problem) = AdvertCodec.Open(datagram, key);
        if (advert is null)
        {
            return new AdvertVerdict(null, refusal, problem);
        }

        if (advert.Cluster != config.Name)
        {
            return Refuse(AdvertRefusal.OtherCluster, $"advert of cluster '{advert.Cluster}', not '{config.Name}'");
        }

        if (config.FindNode(advert.From) is not { } sender)
        {
            return Refuse(AdvertRefusal.UnknownSender, $"'{advert.From}' is not a node of cluster {config.Name}");
        }

        if (sender.Admin != sourceAddress)
        {
            return Refuse(AdvertRefusal.WrongSource, $"names {advert.From}, whose admin address is {sender.Admin ?? "not set"}");
        }

        var skew = advert.SentAt - now;
        if (skew.Duration() > ClockWindow)
        {
            return Refuse(AdvertRefusal.OutsideClockWindow,
                $"{advert.From} sent it at {advert.SentAt:O}, {skew.TotalSeconds:+0.0;-0.0} s from this node's clock (window ±{ClockWindow.TotalSeconds:0} s)");
        }

        var seen = _last.TryGetValue(advert.From, out var list) ? list : _last[advert.From] = [];
        var index = seen.FindIndex(s => s.Instance == advert.Instance);
        if (index >= 0 && advert.Sequence <= seen[index].Sequence)
        {
            return Refuse(AdvertRefusal.Replayed,
                $"{advert.From} sequence {advert.Sequence} of instance {advert.Instance} is not above {seen[index].Sequence}, the last accepted");
        }

        if (index >= 0)
        {
            seen.RemoveAt(index);
        }
        else if (seen.Count == InstancesPerSender)
        {
            seen.RemoveAt(0);
        }

        // Most recently accepted last, so the instance dropped first is the one silent the longest.
        seen.Add((advert.Instance, advert.Sequence));
        return new AdvertVerdict(advert, AdvertRefusal.None, "");
    }

    private static AdvertVerdict Refuse(AdvertRefusal refusal, string reason) => new(null, refusal, reason);
}
