using System.Buffers.Binary;

namespace Palisade.Lab.Kdump;

/// <summary>
/// The fence_kdump announcement a crash-dump kernel sends: 8 bytes, a 32-bit magic and a 32-bit version,
/// in the sender's byte order (little-endian on the x86 and ARM machines the lab runs on).
/// </summary>
internal static class KdumpMessage
{
    public const uint Magic = 0x1B302A40;
    public const uint Version = 1;
    public const int Length = 8;

    public static byte[] Create()
    {
        var message = new byte[Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(4), Version);
        return message;
    }
}
