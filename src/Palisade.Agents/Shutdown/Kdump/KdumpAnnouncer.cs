using System.Net;
using System.Net.Sockets;

namespace Palisade.Agents;

/// <summary>
/// Sends fence_kdump announcements as a crashed node's dump kernel does: the 8-byte message to the cluster's
/// listener, again and again. For the lab and tests, where no real dump kernel runs.
/// </summary>
public static class KdumpAnnouncer
{
    /// <summary>The message every announcement carries.</summary>
    public static ReadOnlyMemory<byte> Message { get; } = KdumpMessage.Create();

    /// <summary>
    /// Sends an announcement to <paramref name="destination"/> at once and then every <paramref name="interval"/>
    /// until <paramref name="ct"/> is cancelled; returns then, without throwing. When <paramref name="source"/> is
    /// given the socket is bound to it, so the listener sees the node's address as the sender.
    /// </summary>
    public static async Task AnnounceAsync(IPEndPoint destination, IPAddress? source, TimeSpan interval, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(time);
        using var socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        if (source is not null)
        {
            socket.Bind(new IPEndPoint(source, 0));
        }

        try
        {
            while (!ct.IsCancellationRequested)
            {
                await socket.SendToAsync(Message, SocketFlags.None, destination, ct).ConfigureAwait(false);
                await Task.Delay(interval, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancellation is how the caller says the node is "up again"; nothing failed.
        }
    }
}
