using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>Puts a message on the cluster's ordered stream.</summary>
internal interface IClusterSender
{
    string LocalNode { get; }

    TimeProvider Time { get; }

    void Send(NodeMessage message);

    /// <summary>Whether an operator suspended <paramref name="monitor"/> on this node (read from the replicated state).</summary>
    bool MonitorSuspended(string monitor);

    /// <summary>The replicated state as this node holds it now (immutable); null until it has one.</summary>
    ClusterState? State { get; }
}
