using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Palisade.Core.Control;

namespace Palisade.Cli;

/// <summary>Talks to the local palisaded over its control socket: one JSON line out, one back.</summary>
internal static class ControlClient
{
    public static string SocketPath =>
        Environment.GetEnvironmentVariable("PALISADE_SOCKET") is { Length: > 0 } p ? p : ControlProtocol.DefaultSocketPath;

    /// <summary>Sends a request; throws <see cref="IOException"/> with an operator-readable reason when unreachable.</summary>
    public static async Task<ControlResponse> SendAsync(ControlRequest request, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cts.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true };
            await writer.WriteLineAsync(JsonSerializer.Serialize(request, ControlProtocol.Json)).ConfigureAwait(false);
            var line = await reader.ReadLineAsync(cts.Token).ConfigureAwait(false)
                ?? throw new IOException("palisaded closed the connection without answering");
            return JsonSerializer.Deserialize<ControlResponse>(line, ControlProtocol.Json)
                ?? throw new IOException("palisaded sent an empty answer");
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or JsonException)
        {
            var why = ex is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:F0} s" : ex.Message;
            throw new IOException($"cannot reach palisaded at {SocketPath}: {why} (is palisaded running on this node?)", ex);
        }
    }
}
