namespace Palisade.Core.Shutdown;

/// <summary>
/// The cluster's shared secret (the corosync authkey), as palisaded signs partition adverts with it.
/// Its bytes never appear in text: <see cref="ToString"/> names only its size.
/// </summary>
public sealed class ClusterKey
{
    /// <summary>The shortest key corosync accepts (1024 bits); palisaded holds adverts to the same floor.</summary>
    public const int MinimumBytes = 128;

    /// <summary>The longest key corosync-keygen writes.</summary>
    public const int MaximumBytes = 4096;

    private readonly byte[] _bytes;

    private ClusterKey(byte[] bytes) => _bytes = bytes;

    public int Length => _bytes.Length;

    internal ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>A key from raw bytes, or why they cannot be one.</summary>
    public static (ClusterKey? Key, string? Problem) FromBytes(ReadOnlySpan<byte> bytes) => bytes.Length switch
    {
        < MinimumBytes => (null, $"{bytes.Length} bytes, but a cluster key has at least {MinimumBytes}"),
        > MaximumBytes => (null, $"{bytes.Length} bytes, but a cluster key has at most {MaximumBytes}"),
        _ => (new ClusterKey(bytes.ToArray()), null),
    };

    public override string ToString() => $"cluster key ({_bytes.Length} bytes)";
}
