using System.Security.Cryptography;
using System.Text.Json;
using Palisade.Core.Json;
using Palisade.Core.Messages;

namespace Palisade.Core.Shutdown;

/// <summary>
/// The wire form of a partition advert: JSON <c>{"body": base64, "mac": base64}</c>, where body is the advert's
/// UTF-8 JSON and mac is HMAC-SHA256 of body under the cluster key. Nothing in body is read before the mac checks.
/// </summary>
public static class AdvertCodec
{
    /// <summary>Larger than any advert of a 32-node cluster; a bigger datagram is not parsed at all.</summary>
    public const int MaxDatagramBytes = 16 * 1024;

    public static byte[] Seal(PartitionAdvert advert, ClusterKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var body = JsonSerializer.SerializeToUtf8Bytes(advert, MessageCodec.Options.Info<PartitionAdvert>());
        return JsonSerializer.SerializeToUtf8Bytes(new SignedAdvert(body, HMACSHA256.HashData(key.Bytes, body)), MessageCodec.Options.Info<SignedAdvert>());
    }

    /// <summary>The advert if the datagram is well formed and signed with <paramref name="key"/>; else the refusal.</summary>
    public static (PartitionAdvert? Advert, AdvertRefusal Refusal, string Problem) Open(ReadOnlySpan<byte> datagram, ClusterKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (datagram.Length > MaxDatagramBytes)
        {
            return Refused(AdvertRefusal.Malformed, $"{datagram.Length} bytes, more than {MaxDatagramBytes}");
        }

        try
        {
            var signed = JsonSerializer.Deserialize(datagram, MessageCodec.Options.Info<SignedAdvert>());
            if (signed?.Body is not { Length: > 0 } body || signed.Mac is not { } mac)
            {
                return Refused(AdvertRefusal.Malformed, "no body or no signature");
            }

            if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key.Bytes, body), mac))
            {
                return Refused(AdvertRefusal.BadSignature, "bad signature (not signed with this cluster's authkey)");
            }

            var advert = JsonSerializer.Deserialize(body, MessageCodec.Options.Info<PartitionAdvert>());
            return advert is null || advert.Instance.Length is 0 or > 64 || advert.Sequence < 1
                ? Refused(AdvertRefusal.Malformed, "signed, but without an instance id or a sequence")
                : (advert, AdvertRefusal.None, "");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            return Refused(AdvertRefusal.Malformed, $"not an advert: {e.Message}");
        }
    }

    private static (PartitionAdvert?, AdvertRefusal, string) Refused(AdvertRefusal refusal, string problem) => (null, refusal, problem);

    /// <summary>The datagram: the advert's JSON and its HMAC.</summary>
    internal sealed record SignedAdvert(byte[]? Body, byte[]? Mac);
}

/// <summary>Why a received advert was dropped.</summary>
public enum AdvertRefusal
{
    None,
    Malformed,
    BadSignature,
    OtherCluster,
    UnknownSender,
    WrongSource,
    OutsideClockWindow,
    Replayed,
}
