using System.Net.Sockets;
using System.Threading.Channels;

namespace Palisade.Simulation.World;

/// <summary>
/// One process's socket on the simulated administration LAN. Datagrams reach the node owning the address if both
/// are powered and on the same admin side; the fault schedule loses or delays them.
/// </summary>
internal sealed class SimAdminLan(SimWorld world, SimNode node) : Daemon.IAdminLan
{
    private readonly Channel<(byte[] Data, string From)> _inbox = Channel.CreateUnbounded<(byte[], string)>(new UnboundedChannelOptions { SingleReader = true });

    public bool IsOpen { get; private set; }

    public SimNode Node { get; } = node;

    public void Open(string address, int port)
    {
        if (Node.Config.Admin != address)
        {
            throw new SocketException((int)SocketError.AddressNotAvailable);
        }

        IsOpen = true;
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> datagram, string address, int port, CancellationToken ct)
    {
        world.AdminLan.Send(Node, datagram.ToArray(), address);
        return ValueTask.CompletedTask;
    }

    public async ValueTask<(int Length, string From)> ReceiveAsync(Memory<byte> buffer, CancellationToken ct)
    {
        while (true)
        {
            if (_inbox.Reader.TryRead(out var datagram))
            {
                datagram.Data.CopyTo(buffer);
                return (datagram.Data.Length, datagram.From);
            }

            if (!await _inbox.Reader.WaitToReadAsync(ct))
            {
                throw new ObjectDisposedException(nameof(SimAdminLan));
            }
        }
    }

    public void Receive(byte[] data, string from)
    {
        if (IsOpen)
        {
            _inbox.Writer.TryWrite((data, from));
        }
    }

    public void Dispose()
    {
        IsOpen = false;
        _inbox.Writer.TryComplete();
    }
}

/// <summary>The administration LAN: best-effort datagrams between the nodes' admin addresses.</summary>
internal sealed class SimAdminNetwork(SimWorld world)
{
    /// <summary>Until then, datagrams are lost with <see cref="LossRate"/>.</summary>
    public DateTimeOffset LossyUntil { get; set; }

    public double LossRate { get; set; }

    /// <summary>Until then, datagrams take up to <see cref="ExtraDelay"/> longer.</summary>
    public DateTimeOffset SlowUntil { get; set; }

    public TimeSpan ExtraDelay { get; set; }

    public void Send(SimNode from, byte[] datagram, string address)
    {
        var now = world.Scheduler.Now;
        if (world.Nodes.FirstOrDefault(n => n.Config.Admin == address) is not { } to)
        {
            return;
        }

        if (LossyUntil > now && world.Random.NextDouble() < LossRate)
        {
            return;
        }

        var delay = TimeSpan.FromTicks(world.Random.Next(1_000, 20_000));
        if (SlowUntil > now)
        {
            delay += TimeSpan.FromTicks((long)(ExtraDelay.Ticks * world.Random.NextDouble()));
        }

        var sourceAddress = from.Config.Admin!;
        world.Scheduler.After(delay, () =>
        {
            // Delivery needs both ends up and on one side of the admin LAN when the datagram arrives.
            if (from.Powered && to.Powered && from.AdminSide == to.AdminSide && to.Process?.AdminLan is { } lan)
            {
                lan.Receive(datagram, sourceAddress);
            }
        });
    }
}
