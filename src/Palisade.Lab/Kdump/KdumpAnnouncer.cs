using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Kdump;

/// <summary>Announcements from one of the crashed node's addresses to the receivers on that LAN.</summary>
internal sealed record KdumpRoute(IPAddress From, IReadOnlyList<IPAddress> To);

/// <summary>
/// <c>palisade lab kdump-announce</c>: what the crash-dump kernel of a panicked lab node does for fence_kdump.
/// It sends the announcement from each given source address to every receiver of that route, at once and then
/// every <c>interval</c>, until it is killed (a power off of the node kills it with the namespace).
/// </summary>
internal sealed class KdumpAnnouncer(IReadOnlyList<KdumpRoute> routes, TimeSpan interval, TimeProvider time, ILogger logger)
{
    /// <summary>Written once every socket is bound, right before the first announcements go out; the lab waits for it.</summary>
    public const string ReadyMessage = "kdump announcer running";

    public async Task RunAsync(CancellationToken ct)
    {
        // The same fence_kdump message the kdump shutdown agent listens for.
        var message = Palisade.Agents.KdumpAnnouncer.Message;
        var sockets = new List<(Socket Socket, KdumpRoute Route)>();
        try
        {
            foreach (var route in routes)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add((socket, route));
                socket.Bind(new IPEndPoint(route.From, 0));
                Log.KdumpRoute(logger, route.From.ToString(), string.Join(", ", route.To), LabBmcAccess.KdumpPort);
            }

            Log.KdumpRunning(logger, ReadyMessage, interval.TotalSeconds);
            var failures = new Dictionary<IPEndPoint, SocketError>();
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                foreach (var (socket, route) in sockets)
                {
                    foreach (var to in route.To)
                    {
                        await SendAsync(socket, message, new IPEndPoint(to, LabBmcAccess.KdumpPort), failures, ct);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopped
        }
        finally
        {
            foreach (var (socket, _) in sockets)
            {
                socket.Dispose();
            }
        }
    }

    /// <summary>
    /// One datagram. A receiver that cannot be reached now (link cut, nobody listening) is no reason to stop:
    /// a crash-dump kernel keeps announcing. Each change of a receiver's state is logged once, not every send.
    /// </summary>
    private async Task SendAsync(Socket socket, ReadOnlyMemory<byte> message, IPEndPoint to, Dictionary<IPEndPoint, SocketError> failures, CancellationToken ct)
    {
        try
        {
            await socket.SendToAsync(message, SocketFlags.None, to, ct);
            if (failures.Remove(to))
            {
                Log.KdumpSendRecovered(logger, to.ToString());
            }
        }
        catch (SocketException e)
        {
            if (!failures.TryGetValue(to, out var previous) || previous != e.SocketErrorCode)
            {
                failures[to] = e.SocketErrorCode;
                Log.KdumpSendFailed(logger, to.ToString(), e.Message);
            }
        }
    }
}
