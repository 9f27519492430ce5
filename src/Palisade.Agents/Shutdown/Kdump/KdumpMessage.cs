namespace Palisade.Agents;

/// <summary>
/// The fence_kdump message: 8 bytes, a 32-bit magic then a 32-bit version, in the sender's byte order. Like
/// fence_kdump itself, both sides use the host's order (little-endian on the machines clusters run on).
/// </summary>
internal static class KdumpMessage
{
    public const uint Magic = 0x1B302A40;
    public const uint Version = 1;
    public const int Length = 8;

    public static byte[] Create()
    {
        var message = new byte[Length];
        BitConverter.TryWriteBytes(message.AsSpan(0, 4), Magic);
        BitConverter.TryWriteBytes(message.AsSpan(4, 4), Version);
        return message;
    }

    /// <summary>Why a datagram is not a fence_kdump announcement, or null when it is one.</summary>
    public static string? Problem(ReadOnlySpan<byte> packet)
    {
        if (packet.Length != Length)
        {
            return $"{packet.Length} bytes, not {Length}";
        }

        uint magic = BitConverter.ToUInt32(packet[..4]);
        if (magic != Magic)
        {
            return $"magic 0x{magic:X8}, not 0x{Magic:X8}";
        }

        uint version = BitConverter.ToUInt32(packet[4..]);
        return version == Version ? null : $"version {version}, not {Version}";
    }
}
