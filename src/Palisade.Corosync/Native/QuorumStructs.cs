using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Palisade.Corosync.Native;

/// <summary>quorum_callbacks_t (model v0): one notification function pointer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct QuorumCallbacks
{
    public delegate* unmanaged<ulong, uint, ulong, uint, uint*, void> Notify;
}

/// <summary>votequorum_callbacks_t: three function pointers; all null because this link polls instead.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct VotequorumCallbacks
{
    public void* QuorumNotify;
    public void* ExpectedVotesNotify;
    public void* NodelistNotify;
}

/// <summary>struct votequorum_info: nine unsigned ints then a 255-byte qdevice name (292 bytes with padding).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct VotequorumInfoNative
{
    public const int QdeviceNameLength = 255;

    public uint NodeId;
    public uint NodeState;
    public uint NodeVotes;
    public uint NodeExpectedVotes;
    public uint HighestExpected;
    public uint TotalVotes;
    public uint Quorum;
    public uint Flags;
    public uint QdeviceVotes;
    public QdeviceNameBuffer QdeviceName;

    [InlineArray(QdeviceNameLength)]
    internal struct QdeviceNameBuffer
    {
        private byte _element;
    }
}

/// <summary>VOTEQUORUM_INFO_* flag bits from votequorum.h.</summary>
[Flags]
internal enum VotequorumInfoFlags : uint
{
    TwoNode = 1,
    Quorate = 2,
    WaitForAll = 4,
    LastManStanding = 8,
    AutoTieBreaker = 16,
    AllowDownscale = 32,
    QdeviceRegistered = 64,
    QdeviceAlive = 128,
    QdeviceCastVote = 256,
    QdeviceMasterWins = 512,
}
