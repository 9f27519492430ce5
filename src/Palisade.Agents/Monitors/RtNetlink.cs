using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Palisade.Agents.Monitors;

/// <summary>The libc socket calls of a NETLINK_ROUTE query (linux/netlink.h, linux/rtnetlink.h); named by soname.</summary>
internal static unsafe partial class RtNetlink
{
    private const string Library = "libc.so.6";

    public const int AfNetlink = 16;
    public const int SockRaw = 3;
    public const int SockCloexec = 0x80000;
    public const int NetlinkRoute = 0;
    public const int SolSocket = 1;
    public const int SoRcvTimeo = 20;

    /// <summary>recv flag: return the real length of a datagram longer than the buffer.</summary>
    public const int MsgTrunc = 0x20;

    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int ENoDev = 19;

    [LibraryImport(Library, EntryPoint = "socket", SetLastError = true)]
    public static partial NetlinkSocket Socket(int domain, int type, int protocol);

    [LibraryImport(Library, EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(NetlinkSocket socket, int level, int name, TimeVal* value, uint length);

    /// <summary>The RTMGRP_LINK multicast group: every link change of the namespace.</summary>
    public const uint RtmgrpLink = 1;

    [LibraryImport(Library, EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(NetlinkSocket socket, SockAddrNl* address, uint length);

    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(NetlinkSocket socket, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(NetlinkSocket socket, byte* buffer, nuint length, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(nint fd);
}

/// <summary>struct sockaddr_nl: family, padding, port id (0: the kernel picks), multicast groups.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockAddrNl
{
    public ushort Family;
    public ushort Pad;
    public uint Pid;
    public uint Groups;
}

/// <summary>struct timeval (64-bit: two longs), for SO_RCVTIMEO.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeVal
{
    public long Seconds;
    public long Microseconds;
}

/// <summary>Owns one netlink socket descriptor; closed exactly once, also when a query is abandoned.</summary>
internal sealed class NetlinkSocket : SafeHandleMinusOneIsInvalid
{
    public NetlinkSocket()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => RtNetlink.Close(handle) == 0;
}
