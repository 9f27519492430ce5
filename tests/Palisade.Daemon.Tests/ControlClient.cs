using System.Net.Sockets;
using System.Text;

namespace Palisade.Daemon.Tests;

/// <summary>A raw client of the control socket: connect, send bytes, read what comes back until the server closes.</summary>
internal sealed class ControlClient : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    private ControlClient()
    {
    }

    /// <summary>Connects, trying again while the server's accept queue is full (EAGAIN), as a burst of clients finds it.</summary>
    public static async Task<ControlClient> ConnectAsync(string path)
    {
        var tries = 0;
        while (true)
        {
            var client = new ControlClient();
            try
            {
                await client._socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                return client;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock && ++tries < 1000)
            {
                client.Dispose();
                await Task.Delay(5);
            }
        }
    }

    /// <summary>Says no more is coming, as a client does after its request.</summary>
    public void EndRequest() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Sends <paramref name="bytes"/>; false when the server closed the connection before taking them all.</summary>
    public async Task<bool> SendAsync(byte[] bytes)
    {
        try
        {
            await _socket.SendAsync(bytes, SocketFlags.None);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Everything the server sends until it closes, within <paramref name="timeout"/>.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            if (received == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, received));
        }
    }

    public async Task<string> RequestAsync(string line, TimeSpan timeout)
    {
        await SendAsync(Encoding.UTF8.GetBytes(line + "\n"));
        return await ReadToEndAsync(timeout);
    }

    public void Dispose() => _socket.Dispose();
}
