using System.Runtime.InteropServices;

namespace Palisade.Corosync.Native;

[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    public int Fd;
    public short Events;
    public short REvents;
}

/// <summary>poll(2) from glibc; named by soname because the unversioned libc.so is a linker script.</summary>
internal static unsafe partial class Libc
{
    public const short PollIn = 0x001;
    public const short PollErr = 0x008;
    public const short PollHup = 0x010;
    public const short PollNval = 0x020;
    public const int EIntr = 4;

    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);
}
