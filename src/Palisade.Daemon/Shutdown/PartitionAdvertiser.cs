using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Planning;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

/// <summary>
/// Tells the other nodes' shutdown daemons over the administration LAN (which survives an interconnect cut) what this
/// node's partition is, what it weighs, whether it has quorum and whom it is killing; and keeps what they tell. Each
/// datagram is signed with HMAC-SHA256 under the cluster's corosync authkey and stamped against replay
/// (<see cref="AdvertStamp"/>); <see cref="AdvertGate"/> decides what is believed.
/// </summary>
internal sealed class PartitionAdvertiser : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly LiveConfig _live;
    private readonly NodeConfig _local;
    private readonly Func<PartitionAdvert?> _current;
    private readonly IAdminLan _lan;
    private readonly TimeProvider _time;
    private readonly SteadyClock _steady;
    private readonly ILogger _log;
    private readonly ClusterKey? _key;
    private readonly AdvertStamp _stamp;
    private readonly RefusalThrottle _refusals = new();
    private readonly ConcurrentDictionary<string, ReceivedAdvert> _received = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private bool _open;
    private Task _loops = Task.CompletedTask;

    /// <param name="key">The cluster key; null only for a node without an admin address (it sends no adverts).</param>
    /// <param name="instance">Names this sender instance in its stamps (random per process).</param>
    public PartitionAdvertiser(LiveConfig config, NodeConfig local, Func<PartitionAdvert?> current, IAdminLan lan, ClusterKey? key, string instance, TimeProvider time, SteadyClock steady, ILogger log)
    {
        _live = config;
        _local = local;
        _current = current;
        _lan = lan;
        _time = time;
        _steady = steady;
        _log = log;
        _key = key;
        _stamp = new AdvertStamp(instance);
    }

    private ClusterConfig _config => _live.Current;

    /// <summary>The adverts received, newest per sending node.</summary>
    public IReadOnlyDictionary<string, ReceivedAdvert> Received => _received;

    public void Start()
    {
        if (_local.Admin is not { } admin || !IPAddress.TryParse(admin, out _))
        {
            SdLog.AdvertsOff(_log, "this node has no admin address: partitions are resolved by weight and delay alone");
            return;
        }

        if (_key is not { } key)
        {
            SdLog.AdvertsOff(_log, "no cluster key to sign them with");
            return;
        }

        try
        {
            _lan.Open(admin, _config.Shutdown.AdvertPort);
        }
        catch (SocketException e)
        {
            SdLog.AdvertsOff(_log, $"cannot listen on {admin}:{_config.Shutdown.AdvertPort}: {e.Message}");
            _lan.Dispose();
            return;
        }

        _open = true;
        SdLog.AdvertsOn(_log, admin, _config.Shutdown.AdvertPort, $"signed, instance {_stamp.Instance}");
        _loops = Task.WhenAll(SendLoopAsync(key, _stop.Token), ReceiveLoopAsync(key, _stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel(); // callbacks run here, not on the thread pool (CancelAsync would leave the caller's context)
        _lan.Dispose();
        try
        {
            await _loops;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // closing
        }

        _stop.Dispose();
    }

    /// <summary>Sends the current advert now (a membership change should not wait for the next tick).</summary>
    public void SendNow()
    {
        if (_open && _key is { } key)
        {
            _ = SendOnceAsync(key, CancellationToken.None);
        }
    }

    private async Task SendLoopAsync(ClusterKey key, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await SendOnceAsync(key, ct);
            await Task.Delay(Interval, _time, ct);
        }
    }

    private async Task SendOnceAsync(ClusterKey key, CancellationToken ct)
    {
        if (_current() is not { } advert)
        {
            return;
        }

        var datagram = AdvertCodec.Seal(_stamp.Stamp(advert, _time.GetUtcNow()), key);
        foreach (var peer in _config.Nodes.Where(n => n.Name != _local.Name && n.Admin is not null))
        {
            if (!IPAddress.TryParse(peer.Admin, out _))
            {
                continue;
            }

            try
            {
                await _lan.SendAsync(datagram, peer.Admin!, _config.Shutdown.AdvertPort, ct);
            }
            catch (SocketException e)
            {
                SdLog.AdvertSendFailed(_log, peer.Name, e.Message);
            }
        }
    }

    private async Task ReceiveLoopAsync(ClusterKey key, CancellationToken ct)
    {
        var gate = new AdvertGate(_config, key);
        var buffer = new byte[64 * 1024];
        while (!ct.IsCancellationRequested)
        {
            var (length, from) = await _lan.ReceiveAsync(buffer, ct);
            var now = _time.GetUtcNow();
            var verdict = gate.Admit(buffer.AsSpan(0, length), from, now);
            if (verdict.Advert is { } advert)
            {
                _received[advert.From] = new ReceivedAdvert(advert, _steady.Now); // freshness is a local wait
            }
            else if (_refusals.ShouldLog($"{from} {verdict.Refusal}", now, out var suppressed))
            {
                LogRefusal(from, verdict, suppressed);
            }
        }
    }

    /// <summary>A replay is also what a reordered datagram looks like, so it is only a debug line; the rest are warnings.</summary>
    private void LogRefusal(string from, AdvertVerdict verdict, int suppressed)
    {
        var reason = suppressed > 0 ? $"{verdict.Reason} ({suppressed} more like it not logged)" : verdict.Reason;
        if (verdict.Refusal == AdvertRefusal.Replayed)
        {
            SdLog.AdvertReplayDropped(_log, from, reason);
        }
        else
        {
            SdLog.AdvertRejected(_log, from, reason);
        }
    }
}
