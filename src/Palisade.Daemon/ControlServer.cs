using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Palisade.Core.Control;
using Palisade.Core.Json;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

/// <summary>
/// The local control socket: a root-only Unix socket taking one JSON request per line and answering one JSON line.
/// Requests are handed to the host loop, so they see a consistent state. Each client is checked (peer uid) and
/// bounded (<see cref="ControlLimits"/>) before its request is read.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    /// <summary>Connections the kernel queues before palisaded accepts them; a burst beyond fails to connect (EAGAIN).</summary>
    private const int ListenBacklog = 128;

    private readonly string _path;
    private readonly Func<ControlRequest, Task<ControlResponse>> _handle;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly ControlLimits _limits;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource _stop = new();
    private readonly RefusalThrottle _refusals = new();
    private readonly Lock _refusalsGate = new();
    private int _active;

    public ControlServer(string path, Func<ControlRequest, Task<ControlResponse>> handle, ILogger log, TimeProvider time, ControlLimits? limits = null)
    {
        _path = path;
        _handle = handle;
        _log = log;
        _time = time;
        _limits = limits ?? ControlLimits.Default;
    }

    /// <summary>Connections being served now.</summary>
    public int Active => Volatile.Read(ref _active);

    public void Start()
    {
        ControlSocketFile.Bind(_listener, _path);
        _listener.Listen(ListenBacklog);
        Log.Listening(_log, _path);
        _ = AcceptLoop();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (Interlocked.Increment(ref _active) > _limits.MaxConnections)
            {
                _ = RefuseAsync(client, "busy", $"too many control connections (at most {_limits.MaxConnections} at once); try again");
                continue;
            }

            _ = Serve(client);
        }
    }

    private async Task Serve(Socket client)
    {
        try
        {
            var (response, refused) = await ReadAndHandle(client).ConfigureAwait(false);
            // Writing the answer is bounded too: a client that never reads it must not hold the connection.
            using var deadline = new CancellationTokenSource(_limits.RequestTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _stop.Token);
            await Reply(client, response, linked.Token).ConfigureAwait(false);
            if (refused)
            {
                await DrainAsync(client, linked.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            Log.ControlFailed(_log, ex.Message);
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Checks the peer, reads its request within the limits, and answers it (or says why not).</summary>
    private async Task<(ControlResponse Response, bool Refused)> ReadAndHandle(Socket client)
    {
        if (PeerUid(client) is var uid && uid != _limits.AllowedUid)
        {
            return (Refusal("peer", $"uid {uid} may not use the control socket; only uid {_limits.AllowedUid} (root) may"), true);
        }

        (string? Line, string? Problem) request;
        using (var deadline = new CancellationTokenSource(_limits.RequestTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, _stop.Token))
        {
            try
            {
                request = await ReadRequestLine(client, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !_stop.IsCancellationRequested)
            {
                return (Refusal("timeout", $"no complete request within {_limits.RequestTimeout.TotalSeconds:0.#} s; connection closed"), false);
            }
        }

        return request.Line is { } line
            ? (await Handle(line).ConfigureAwait(false), false)
            : (Refusal("request", request.Problem!), true);
    }

    /// <summary>
    /// Reads and drops what a refused client still sends, until it closes or the time is up: closing a Unix socket
    /// with unread data resets the connection, and the client would lose the error reply.
    /// </summary>
    private static async Task DrainAsync(Socket client, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await client.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Drops what a refused client has already sent, without waiting for more (see <see cref="DrainAsync"/>).</summary>
    private static void DiscardQueued(Socket client)
    {
        Span<byte> buffer = stackalloc byte[4096];
        while (client.Available > 0 && client.Receive(buffer, SocketFlags.None) > 0)
        {
        }
    }

    private async Task<ControlResponse> Handle(string line)
    {
        try
        {
            var request = JsonSerializer.Deserialize(line, ControlProtocol.Json.Info<ControlRequest>());
            return request?.Command is null
                ? new ControlResponse(false, Error: "request must be a JSON object with a 'command'")
                : await _handle(request).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return new ControlResponse(false, Error: $"malformed request: {ex.Message}");
        }
    }

    /// <summary>The first line the client sends, without its newline; or why there is none (too long, no newline).</summary>
    private async Task<(string? Line, string? Problem)> ReadRequestLine(Socket client, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_limits.MaxRequestBytes);
        try
        {
            var length = 0;
            while (length < _limits.MaxRequestBytes)
            {
                var received = await client.ReceiveAsync(buffer.AsMemory(length, _limits.MaxRequestBytes - length), SocketFlags.None, ct).ConfigureAwait(false);
                var newline = Array.IndexOf(buffer, (byte)'\n', length, received);
                if (newline >= 0)
                {
                    return (Encoding.UTF8.GetString(buffer, 0, newline), null);
                }

                if (received == 0)
                {
                    // The CLI always ends its request with a newline; end of stream also ends a request.
                    return length == 0 ? (null, "empty request") : (Encoding.UTF8.GetString(buffer, 0, length), null);
                }

                length += received;
            }

            return (null, $"request longer than {_limits.MaxRequestBytes} bytes; connection closed");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task RefuseAsync(Socket client, string kind, string reason)
    {
        try
        {
            using var deadline = new CancellationTokenSource(_limits.RequestTimeout, _time);
            await Reply(client, Refusal(kind, reason), deadline.Token).ConfigureAwait(false);
            // Over the cap nothing may be held waiting, so only what has already arrived is dropped.
            DiscardQueued(client);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The refused client went away first; nothing to tell it.
        }
        finally
        {
            client.Dispose();
            Interlocked.Decrement(ref _active);
        }
    }

    private ControlResponse Refusal(string kind, string reason)
    {
        Refused(kind, reason);
        return new ControlResponse(false, Error: reason);
    }

    /// <summary>Logged at most once per interval per kind: a local flood must not become a log flood.</summary>
    private void Refused(string kind, string reason)
    {
        int suppressed;
        bool log;
        lock (_refusalsGate)
        {
            log = _refusals.ShouldLog(kind, _time.GetUtcNow(), out suppressed);
        }

        if (log)
        {
            Log.ControlRefused(_log, suppressed > 0 ? $"{reason} ({suppressed} more refusals like it not logged)" : reason);
        }
    }

    private static async Task Reply(Socket client, ControlResponse response, CancellationToken ct)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(response, ControlProtocol.Json.Info<ControlResponse>()) + "\n");
        await client.SendAsync(line, SocketFlags.None, ct).ConfigureAwait(false);
        client.Shutdown(SocketShutdown.Send);
    }

    /// <summary>The connecting process's user id, from the kernel (struct ucred: pid, uid, gid).</summary>
    private static uint PeerUid(Socket client)
    {
        Span<byte> ucred = stackalloc byte[12];
        var length = client.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        return length == ucred.Length ? BinaryPrimitives.ReadUInt32LittleEndian(ucred[4..]) : uint.MaxValue;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
            // best effort: a stale socket file is replaced at the next start
        }
    }
}
