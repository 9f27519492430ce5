using System.Collections.Immutable;
using System.Threading.Channels;
using Palisade.Corosync;

namespace Palisade.Simulation.World;

internal enum LinkState
{
    /// <summary>In the CPG group: takes sends, gets events.</summary>
    Open,

    /// <summary>palisaded left the group cleanly (cpg_leave): peers see LEAVE.</summary>
    Left,

    /// <summary>palisaded died (kill -9, exit) or its node did: peers see PROCDOWN or NODEDOWN.</summary>
    Dead,
}

/// <summary>One palisaded incarnation's connection to the simulated corosync of its node.</summary>
internal sealed class SimLink(SimCorosync corosync, SimNode node, int incarnation) : ICorosyncLink
{
    private readonly Channel<CorosyncEvent> _events = Channel.CreateUnbounded<CorosyncEvent>(new UnboundedChannelOptions { SingleReader = true });

    public SimNode Node { get; } = node;

    public int Incarnation { get; } = incarnation;

    public LinkState State { get; set; } = LinkState.Open;

    /// <summary>The CPG members corosync last reported to this process (set when the change is queued); null before the first.</summary>
    public ImmutableSortedSet<uint>? View { get; set; }

    /// <summary>The member processes of <see cref="View"/>: where this process's messages go.</summary>
    public List<SimLink> ViewLinks { get; set; } = [];

    public uint LocalNodeId => Node.Id;

    public ChannelReader<CorosyncEvent> Events => _events.Reader;

    public void Send(ReadOnlySpan<byte> payload) => corosync.Send(this, payload);

    public QuorumReading ReadQuorum() => corosync.QueryQuorate(this);

    /// <summary>Hands an event to the process (if it still listens).</summary>
    public void Deliver(CorosyncEvent e)
    {
        if (State == LinkState.Open)
        {
            _events.Writer.TryWrite(e);
        }
    }

    /// <summary>Local corosync died: the last event, then the channel completes.</summary>
    public void Lose(string reason)
    {
        if (State == LinkState.Open)
        {
            _events.Writer.TryWrite(new CorosyncLost(reason));
        }

        _events.Writer.TryComplete();
    }

    public override string ToString() => $"{Node.Name}#{Incarnation}";
}
