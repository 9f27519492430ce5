namespace Palisade.Daemon;

/// <summary>
/// Datagrams on the administration LAN, which survives an interconnect cut: the shutdown daemons' partition adverts
/// travel here. Delivery is best effort: datagrams may be lost, delayed or cut off.
/// </summary>
internal interface IAdminLan : IDisposable
{
    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/>.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">the address cannot be bound.</exception>
    void Open(string address, int port);

    /// <exception cref="System.Net.Sockets.SocketException">the datagram could not be sent.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, string address, int port, CancellationToken ct);

    /// <summary>The next datagram: its length in <paramref name="buffer"/> and the sender's address.</summary>
    ValueTask<(int Length, string From)> ReceiveAsync(Memory<byte> buffer, CancellationToken ct);
}
