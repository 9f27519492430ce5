using System.Net;
using System.Net.Sockets;

namespace Palisade.Daemon;

/// <summary>The real administration LAN: one UDP socket bound to this node's admin address.</summary>
internal sealed class UdpAdminLan : IAdminLan
{
    private Socket? _socket;

    public void Open(string address, int port)
    {
        var ip = IPAddress.Parse(address);
        var socket = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(ip, port));
        }
        catch (SocketException)
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
    }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, string address, int port, CancellationToken ct)
    {
        var socket = _socket ?? throw new InvalidOperationException("the admin LAN socket is not open");
        await socket.SendToAsync(datagram, new IPEndPoint(IPAddress.Parse(address), port), ct);
    }

    public async ValueTask<(int Length, string From)> ReceiveAsync(Memory<byte> buffer, CancellationToken ct)
    {
        var socket = _socket ?? throw new InvalidOperationException("the admin LAN socket is not open");
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct);
        return (result.ReceivedBytes, ((IPEndPoint)result.RemoteEndPoint).Address.ToString());
    }

    public void Dispose() => _socket?.Dispose();
}
