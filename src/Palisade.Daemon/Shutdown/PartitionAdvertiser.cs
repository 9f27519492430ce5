using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

/// <summary>
/// Tells the other nodes' shutdown daemons over the administration LAN (which survives an interconnect cut) what this
/// node's partition is, what it weighs, whether it has quorum and whom it is killing; and keeps what they tell. Each
/// datagram is signed with HMAC-SHA256 under the cluster's corosync authkey, so only cluster members are believed.
/// </summary>
internal sealed class PartitionAdvertiser : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly LiveConfig _live;
    private readonly NodeConfig _local;
    private readonly Func<PartitionAdvert?> _current;
    private readonly IAdminLan _lan;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly byte[]? _key;
    private readonly ConcurrentDictionary<string, ReceivedAdvert> _received = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private bool _open;
    private Task _loops = Task.CompletedTask;

    public PartitionAdvertiser(LiveConfig config, NodeConfig local, Func<PartitionAdvert?> current, IAdminLan lan, byte[]? key, TimeProvider time, ILogger log)
    {
        _live = config;
        _local = local;
        _current = current;
        _lan = lan;
        _time = time;
        _log = log;
        _key = key;
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
        SdLog.AdvertsOn(_log, admin, _config.Shutdown.AdvertPort, _key is null ? "UNSIGNED (no corosync authkey)" : "signed");
        _loops = Task.WhenAll(SendLoopAsync(_stop.Token), ReceiveLoopAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
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
        if (_open)
        {
            _ = SendOnceAsync(CancellationToken.None);
        }
    }

    private async Task SendLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await SendOnceAsync(ct);
            await Task.Delay(Interval, _time, ct);
        }
    }

    private async Task SendOnceAsync(CancellationToken ct)
    {
        if (_current() is not { } advert)
        {
            return;
        }

        var datagram = Encode(advert);
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

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        while (!ct.IsCancellationRequested)
        {
            var (length, from) = await _lan.ReceiveAsync(buffer, ct);
            var (advert, problem) = Decode(buffer.AsSpan(0, length));
            if (advert is null || _config.FindNode(advert.From) is not { } sender || sender.Admin != from)
            {
                SdLog.AdvertRejected(_log, from, problem ?? "the sender is not the node it names");
                continue;
            }

            _received[advert.From] = new ReceivedAdvert(advert, _time.GetUtcNow());
        }
    }

    private byte[] Encode(PartitionAdvert advert)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(advert, MessageCodec.Options);
        var mac = _key is null ? [] : HMACSHA256.HashData(_key, body);
        return JsonSerializer.SerializeToUtf8Bytes(new SignedAdvert(body, mac), MessageCodec.Options);
    }

    private (PartitionAdvert? Advert, string? Problem) Decode(ReadOnlySpan<byte> datagram)
    {
        try
        {
            var signed = JsonSerializer.Deserialize<SignedAdvert>(datagram, MessageCodec.Options);
            if (signed?.Body is not { Length: > 0 } body)
            {
                return (null, "empty advert");
            }

            if (_key is not null && !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, body), signed.Mac ?? []))
            {
                return (null, "bad signature");
            }

            var advert = JsonSerializer.Deserialize<PartitionAdvert>(body, MessageCodec.Options);
            return advert?.Cluster == _config.Name ? (advert, null) : (null, $"advert of another cluster ({advert?.Cluster})");
        }
        catch (JsonException e)
        {
            return (null, $"not an advert: {e.Message}");
        }
    }

    /// <summary>The corosync authkey, or null (adverts then go unsigned, and the reason is logged).</summary>
    public static byte[]? ReadKey(string path, ILogger log)
    {
        try
        {
            var key = File.ReadAllBytes(path);
            return key.Length > 0 ? key : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            SdLog.AdvertKeyMissing(log, path, e.Message);
            return null;
        }
    }

    private sealed record SignedAdvert(byte[] Body, byte[]? Mac);
}
