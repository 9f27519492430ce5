using System.Runtime.InteropServices;
using System.Text;

namespace Palisade.Agents.Monitors;

/// <summary>
/// Follows link changes as the kernel announces them (RTM_NEWLINK on the RTMGRP_LINK multicast group of
/// NETLINK_ROUTE), in the calling process's network namespace: no polling. Runs on its own thread; every receive
/// waits at most <see cref="LinkQuery.ReceiveSlice"/>, so a cancellation is honoured within a slice.
/// </summary>
public sealed class LinkWatcher
{
    private const ushort RtmNewLink = 16;
    private const ushort IflaIfname = 3;
    private const int HeaderBytes = 16;
    private const int IfInfoBytes = 16;

    /// <summary>
    /// Reports each interface of <paramref name="names"/> whose state (up or not, see <see cref="LinkState.IsUp"/>)
    /// changes, and once at start the ones already down or missing. The callback gets the name, whether it is up,
    /// and a description.
    /// </summary>
    public static Task WatchAsync(IReadOnlyCollection<string> names, Action<string, bool, string> changed, TimeProvider time, CancellationToken ct) =>
        Task.Factory.StartNew(() => Run(names, changed, time, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static unsafe void Run(IReadOnlyCollection<string> names, Action<string, bool, string> changed, TimeProvider time, CancellationToken ct)
    {
        using NetlinkSocket socket = RtNetlink.Socket(RtNetlink.AfNetlink, RtNetlink.SockRaw | RtNetlink.SockCloexec, RtNetlink.NetlinkRoute);
        if (socket.IsInvalid)
        {
            throw new LinkQueryException($"cannot open a netlink socket: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", Marshal.GetLastPInvokeError());
        }

        var address = new SockAddrNl { Family = RtNetlink.AfNetlink, Groups = RtNetlink.RtmgrpLink };
        if (RtNetlink.Bind(socket, &address, (uint)sizeof(SockAddrNl)) != 0)
        {
            throw new LinkQueryException($"cannot join the netlink link group: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}", Marshal.GetLastPInvokeError());
        }

        // Subscribed first, then read: a change between the two is seen either way.
        var up = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var (isUp, text) = Current(name, time, ct);
            up[name] = isUp;
            if (!isUp)
            {
                changed(name, false, text);
            }
        }

        var slice = new TimeVal { Microseconds = (long)LinkQuery.ReceiveSlice.TotalMicroseconds };
        RtNetlink.SetSockOpt(socket, RtNetlink.SolSocket, RtNetlink.SoRcvTimeo, &slice, (uint)sizeof(TimeVal));
        var buffer = new byte[64 * 1024];
        while (!ct.IsCancellationRequested)
        {
            nint received;
            fixed (byte* data = buffer)
            {
                received = RtNetlink.Recv(socket, data, (nuint)buffer.Length, 0);
            }

            if (received <= 0)
            {
                continue; // the slice passed (EAGAIN), or an interrupted or overrun read: the next announcement is read
            }

            foreach (var (name, state) in Parse(buffer.AsSpan(0, (int)Math.Min(received, buffer.Length))))
            {
                if (up.TryGetValue(name, out var was) && was != state.IsUp)
                {
                    up[name] = state.IsUp;
                    changed(name, state.IsUp, state.Describe());
                }
            }
        }
    }

    private static (bool Up, string Text) Current(string name, TimeProvider time, CancellationToken ct)
    {
        try
        {
            var state = LinkQuery.Read(name, TimeSpan.FromSeconds(2), time, ct);
            return (state.IsUp, state.Describe());
        }
        catch (LinkQueryException e)
        {
            return (false, $"{name}: {e.Message}");
        }
        catch (TimeoutException e)
        {
            return (true, e.Message); // unknown is not a failure to report: the next announcement decides
        }
    }

    /// <summary>The links announced in one datagram, by name.</summary>
    internal static IEnumerable<(string Name, LinkState State)> Parse(ReadOnlySpan<byte> datagram)
    {
        var found = new List<(string, LinkState)>();
        var offset = 0;
        while (datagram.Length - offset >= HeaderBytes)
        {
            var rest = datagram[offset..];
            var length = (int)MemoryMarshal.Read<uint>(rest);
            if (length < HeaderBytes || length > rest.Length)
            {
                break;
            }

            var message = rest[..length];
            if (MemoryMarshal.Read<ushort>(message[4..]) == RtmNewLink && length >= HeaderBytes + IfInfoBytes && NameOf(message) is { } name)
            {
                found.Add((name, LinkQuery.ReadLink(message, name)));
            }

            offset += (length + 3) & ~3;
        }

        return found;
    }

    private static string? NameOf(ReadOnlySpan<byte> message)
    {
        var offset = HeaderBytes + IfInfoBytes;
        while (message.Length - offset >= 4)
        {
            var attribute = message[offset..];
            int length = MemoryMarshal.Read<ushort>(attribute);
            if (length < 4 || length > attribute.Length)
            {
                return null;
            }

            if ((MemoryMarshal.Read<ushort>(attribute[2..]) & 0x3FFF) == IflaIfname)
            {
                var value = attribute[4..length];
                var end = value.IndexOf((byte)0);
                return Encoding.UTF8.GetString(end < 0 ? value : value[..end]);
            }

            offset += (length + 3) & ~3;
        }

        return null;
    }
}
