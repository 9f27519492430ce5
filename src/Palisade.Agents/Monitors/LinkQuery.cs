using System.Runtime.InteropServices;
using System.Text;

namespace Palisade.Agents.Monitors;

/// <summary>
/// Asks the kernel for one link over NETLINK_ROUTE: an RTM_GETLINK request naming the interface (IFLA_IFNAME), read
/// back as RTM_NEWLINK or NLMSG_ERROR. The socket belongs to the calling process's network namespace, so a palisaded
/// started inside a namespace sees that namespace's links. Blocking; every receive waits at most
/// <see cref="ReceiveSlice"/> and never past the deadline, so the token is honoured within a slice.
/// </summary>
internal static class LinkQuery
{
    public static readonly TimeSpan ReceiveSlice = TimeSpan.FromMilliseconds(100);

    /// <summary>IFNAMSIZ less its terminating NUL.</summary>
    public const int MaxNameBytes = 15;

    private const ushort NlmsgError = 2;
    private const ushort RtmNewLink = 16;
    private const ushort RtmGetLink = 18;
    private const ushort NlmFRequest = 1;
    private const ushort IflaIfname = 3;
    private const ushort IflaOperstate = 16;
    private const ushort IflaCarrier = 33;
    private const ushort NlaTypeMask = 0x3FFF;
    private const uint IffUp = 0x1;
    private const uint IffLowerUp = 0x10000;
    private const int HeaderBytes = 16;
    private const int IfInfoBytes = 16;
    private const int ReplyBufferBytes = 64 * 1024;

    private static int _sequence;

    /// <summary>
    /// The link named <paramref name="name"/>. Throws <see cref="LinkQueryException"/> when the kernel refuses
    /// (<see cref="LinkQueryException.Errno"/> ENODEV: no such interface) or the socket fails, and
    /// <see cref="TimeoutException"/> when no answer came within <paramref name="timeout"/>.
    /// </summary>
    public static LinkState Read(string name, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        long started = time.GetTimestamp();
        uint sequence = unchecked((uint)Interlocked.Increment(ref _sequence));
        using NetlinkSocket socket = RtNetlink.Socket(RtNetlink.AfNetlink, RtNetlink.SockRaw | RtNetlink.SockCloexec, RtNetlink.NetlinkRoute);
        if (socket.IsInvalid)
        {
            throw Failure("cannot open a netlink socket", Marshal.GetLastPInvokeError());
        }

        Send(socket, Request(name, sequence));
        byte[] buffer = new byte[ReplyBufferBytes];
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            TimeSpan remaining = timeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"the kernel did not answer within {AgentText.Span(timeout)}");
            }

            SetReceiveTimeout(socket, remaining < ReceiveSlice ? remaining : ReceiveSlice);
            int length = Receive(socket, buffer);
            if (length > 0 && Parse(buffer.AsSpan(0, length), name, sequence) is { } state)
            {
                return state;
            }
        }
    }

    /// <summary>nlmsghdr + ifinfomsg (index 0: the name decides) + IFLA_IFNAME, in host byte order.</summary>
    internal static byte[] Request(string name, uint sequence)
    {
        byte[] nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length is 0 or > MaxNameBytes || nameBytes.Contains((byte)0))
        {
            throw new LinkQueryException($"'{name}' is not an interface name (1 to {MaxNameBytes} bytes)", 0);
        }

        int attributeLength = 4 + nameBytes.Length + 1;
        int total = HeaderBytes + IfInfoBytes + Align(attributeLength);
        byte[] message = new byte[total];
        Span<byte> m = message;
        MemoryMarshal.Write(m, (uint)total);
        MemoryMarshal.Write(m[4..], RtmGetLink);
        MemoryMarshal.Write(m[6..], NlmFRequest);
        MemoryMarshal.Write(m[8..], sequence);
        Span<byte> attribute = m[(HeaderBytes + IfInfoBytes)..];
        MemoryMarshal.Write(attribute, (ushort)attributeLength);
        MemoryMarshal.Write(attribute[2..], IflaIfname);
        nameBytes.CopyTo(attribute[4..]);
        return message;
    }

    /// <summary>The link in a datagram answering <paramref name="sequence"/>, or null when it holds no answer to it.</summary>
    internal static LinkState? Parse(ReadOnlySpan<byte> datagram, string name, uint sequence)
    {
        int offset = 0;
        while (datagram.Length - offset >= HeaderBytes)
        {
            ReadOnlySpan<byte> rest = datagram[offset..];
            int length = (int)MemoryMarshal.Read<uint>(rest);
            if (length < HeaderBytes || length > rest.Length)
            {
                throw new LinkQueryException($"malformed netlink message (length {length} of {rest.Length} bytes)", 0);
            }

            ReadOnlySpan<byte> message = rest[..length];
            ushort type = MemoryMarshal.Read<ushort>(message[4..]);
            uint replySequence = MemoryMarshal.Read<uint>(message[8..]);
            if (replySequence == sequence)
            {
                if (type == NlmsgError && length >= HeaderBytes + 4)
                {
                    int error = -MemoryMarshal.Read<int>(message[HeaderBytes..]);
                    throw error == RtNetlink.ENoDev
                        ? new LinkQueryException("no such interface", error)
                        : Failure("the kernel refused the link query", error);
                }

                if (type == RtmNewLink && length >= HeaderBytes + IfInfoBytes)
                {
                    return ReadLink(message, name);
                }
            }

            offset += Align(length);
        }

        return null;
    }

    internal static LinkState ReadLink(ReadOnlySpan<byte> message, string name)
    {
        uint flags = MemoryMarshal.Read<uint>(message[(HeaderBytes + 8)..]);
        byte operState = LinkState.OperUnknown;
        bool? carrier = null;
        int offset = HeaderBytes + IfInfoBytes;
        while (message.Length - offset >= 4)
        {
            ReadOnlySpan<byte> attribute = message[offset..];
            int length = MemoryMarshal.Read<ushort>(attribute);
            if (length < 4 || length > attribute.Length)
            {
                break;
            }

            int type = MemoryMarshal.Read<ushort>(attribute[2..]) & NlaTypeMask;
            if (length > 4 && type == IflaOperstate)
            {
                operState = attribute[4];
            }
            else if (length > 4 && type == IflaCarrier)
            {
                carrier = attribute[4] != 0;
            }

            offset += Align(length);
        }

        return new LinkState(name, operState, carrier ?? (flags & IffLowerUp) != 0, (flags & IffUp) != 0);
    }

    /// <summary>SO_RCVTIMEO below one second; at least 1 µs, since 0 would mean no limit.</summary>
    private static unsafe void SetReceiveTimeout(NetlinkSocket socket, TimeSpan wait)
    {
        var slice = new TimeVal { Seconds = 0, Microseconds = Math.Max(1, (long)wait.TotalMicroseconds) };
        if (RtNetlink.SetSockOpt(socket, RtNetlink.SolSocket, RtNetlink.SoRcvTimeo, &slice, (uint)sizeof(TimeVal)) != 0)
        {
            throw Failure("cannot set the netlink receive timeout", Marshal.GetLastPInvokeError());
        }
    }

    private static unsafe void Send(NetlinkSocket socket, byte[] request)
    {
        fixed (byte* data = request)
        {
            while (RtNetlink.Send(socket, data, (nuint)request.Length, 0) < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                if (errno != RtNetlink.EIntr)
                {
                    throw Failure("cannot send the netlink request", errno);
                }
            }
        }
    }

    /// <summary>One datagram's length, or 0 when the slice passed without one.</summary>
    private static unsafe int Receive(NetlinkSocket socket, byte[] buffer)
    {
        nint received;
        fixed (byte* data = buffer)
        {
            received = RtNetlink.Recv(socket, data, (nuint)buffer.Length, RtNetlink.MsgTrunc);
        }

        if (received < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            return errno is RtNetlink.EAgain or RtNetlink.EIntr ? 0 : throw Failure("cannot read the netlink answer", errno);
        }

        return received <= buffer.Length
            ? (int)received
            : throw new LinkQueryException($"the netlink answer ({received} bytes) does not fit in {buffer.Length} bytes", 0);
    }

    private static LinkQueryException Failure(string what, int errno) =>
        new($"{what}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);

    private static int Align(int length) => (length + 3) & ~3;
}

/// <summary>A link query that got no link: the kernel's refusal (<see cref="Errno"/>, 0 when none) or a local failure.</summary>
internal sealed class LinkQueryException(string message, int errno) : Exception(message)
{
    public int Errno { get; } = errno;
}
