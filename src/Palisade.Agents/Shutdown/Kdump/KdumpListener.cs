using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>A valid fence_kdump message: who sent it and when it arrived (a <see cref="TimeProvider"/> timestamp).</summary>
internal sealed record KdumpAnnouncement(IPAddress Source, long ReceivedAt);

/// <summary>
/// The one fence_kdump receiver of a process for one UDP port. It binds on first use, one socket per address of
/// this node's own (interconnect and admin addresses; never the wildcard, so a datagram to any other address of the
/// host, or arriving for another network, is never read), stays up so that announcements are not missed between kills, hands valid messages to the kills waiting for
/// their source, and remembers when each source last announced itself.
/// </summary>
internal sealed class KdumpListener : IDisposable, IAsyncDisposable
{
    /// <summary>
    /// An announcement this recent counts for a kill that starts after it: a dump kernel repeats every 10 s, so
    /// the node may have crashed and announced itself just before the cluster decided to fence it.
    /// </summary>
    public static readonly TimeSpan RecentWindow = TimeSpan.FromSeconds(10);

    /// <summary>Sources remembered at most; spoofed floods must not grow memory without bound.</summary>
    private const int MaxSources = 4096;

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, long> _lastSeen = [];
    private readonly List<Waiter> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ImmutableArray<IPAddress> _addresses;
    private ImmutableArray<Socket> _sockets = [];
    private Task _receiving = Task.CompletedTask;
    private bool _disposed;

    public KdumpListener(int port, ImmutableArray<IPAddress> addresses, ILogger logger, TimeProvider time)
    {
        Port = port;
        _addresses = [.. addresses.Select(Normalize).Distinct()];
        _logger = logger;
        _time = time;
    }

    public int Port { get; }

    /// <summary>Binds the port unless already bound; the problem when it cannot be bound (tried again at the next use).</summary>
    public string? Listen()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_sockets.IsEmpty)
            {
                return null;
            }

            if (_addresses.IsEmpty)
            {
                return $"cannot listen on udp {Port}: this node has no cluster address to listen on";
            }

            var (sockets, problem) = Bind(_addresses, Port);
            if (problem is not null)
            {
                return problem;
            }

            _sockets = sockets;
            Log.KdumpListening(_logger, Port, string.Join(", ", _addresses));
            _receiving = Task.WhenAll(_sockets.Select(socket => ReceiveAsync(socket, _stop.Token)));
            return null;
        }
    }

    /// <summary>
    /// Completes with the first valid announcement from one of <paramref name="sources"/>, including one received
    /// within <see cref="RecentWindow"/> before the call. Cancel <paramref name="ct"/> to give up.
    /// </summary>
    public async Task<KdumpAnnouncement> WaitAsync(IReadOnlyCollection<IPAddress> sources, CancellationToken ct)
    {
        var wanted = sources.Select(Normalize).ToHashSet();
        Waiter waiter;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            long now = _time.GetTimestamp();
            KdumpAnnouncement? recent = wanted
                .Where(_lastSeen.ContainsKey)
                .Select(source => new KdumpAnnouncement(source, _lastSeen[source]))
                .Where(a => _time.GetElapsedTime(a.ReceivedAt, now) <= RecentWindow)
                .MaxBy(a => a.ReceivedAt);
            if (recent is not null)
            {
                return recent;
            }

            waiter = new Waiter(wanted);
            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Announcement.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(waiter);
            }
        }
    }

    /// <summary>When <paramref name="source"/> last sent a valid announcement, or null.</summary>
    public long? LastAnnouncement(IPAddress source)
    {
        lock (_gate)
        {
            return _lastSeen.TryGetValue(Normalize(source), out long at) ? at : null;
        }
    }

    public void Dispose()
    {
        if (Close() is { } receiving)
        {
            // The loop ends as soon as the socket closes; waiting bounds the time a late packet is still handled.
            receiving.Wait(TimeSpan.FromSeconds(5));
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Close() is { } receiving)
        {
            await receiving.ConfigureAwait(false);
        }
    }

    private Task? Close()
    {
        Waiter[] waiters;
        Task receiving;
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            _disposed = true;
            waiters = [.. _waiters];
            receiving = _receiving;
            _stop.Cancel();
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }

            if (!_sockets.IsEmpty)
            {
                Log.KdumpListenerClosed(_logger, Port);
            }
        }

        foreach (Waiter waiter in waiters)
        {
            waiter.Announcement.TrySetException(new ObjectDisposedException(nameof(KdumpListener), $"the kdump listener on udp {Port} was closed"));
        }

        return receiving;
    }

    /// <summary>One socket per address, or none and the first address that could not be bound.</summary>
    private static (ImmutableArray<Socket> Sockets, string? Problem) Bind(ImmutableArray<IPAddress> addresses, int port)
    {
        var bound = new List<Socket>();
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                socket.Bind(new IPEndPoint(address, port));
                bound.Add(socket);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                bound.ForEach(b => b.Dispose());
                return ([], $"cannot listen on udp {new IPEndPoint(address, port)}: {e.Message}");
            }
        }

        return ([.. bound], null);
    }

    private async Task ReceiveAsync(Socket socket, CancellationToken stop)
    {
        // Larger than any valid message, so an oversized datagram is seen as such rather than cut to 8 bytes.
        var buffer = new byte[512];
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException && stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.KdumpReceiveFailed(_logger, Port, e.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(100), _time, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            Handle(buffer.AsSpan(0, received.ReceivedBytes), Normalize(((IPEndPoint)received.RemoteEndPoint).Address));
        }
    }

    private void Handle(ReadOnlySpan<byte> packet, IPAddress source)
    {
        if (KdumpMessage.Problem(packet) is { } problem)
        {
            Log.KdumpPacketIgnored(_logger, Port, source.ToString(), problem);
            return;
        }

        Waiter[] matched;
        lock (_gate)
        {
            long now = _time.GetTimestamp();
            if (_lastSeen.Count >= MaxSources && !_lastSeen.ContainsKey(source))
            {
                foreach (IPAddress old in _lastSeen.Where(s => _time.GetElapsedTime(s.Value, now) > RecentWindow).Select(s => s.Key).ToList())
                {
                    _lastSeen.Remove(old);
                }
            }

            if (_lastSeen.Count < MaxSources || _lastSeen.ContainsKey(source))
            {
                _lastSeen[source] = now;
            }

            matched = [.. _waiters.Where(w => w.Sources.Contains(source))];
            foreach (Waiter waiter in matched)
            {
                waiter.Announcement.TrySetResult(new KdumpAnnouncement(source, now));
            }
        }

        Log.KdumpAnnounced(_logger, Port, source.ToString(), matched.Length);
    }

    /// <summary>Dual-mode sockets report IPv4 senders as ::ffff:a.b.c.d; scope ids do not name a different sender.</summary>
    private static IPAddress Normalize(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;
    }

    private sealed class Waiter(HashSet<IPAddress> sources)
    {
        public HashSet<IPAddress> Sources { get; } = sources;

        public TaskCompletionSource<KdumpAnnouncement> Announcement { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
