using Palisade.Core.Configuration;

namespace Palisade.Core.Messages;

/// <summary>
/// Checks a message received on the ordered stream against the node corosync says sent it: a node speaks only for
/// itself. A message that fails is dropped on every node alike, since every node sees the same sender.
/// </summary>
public static class SenderCheck
{
    /// <summary>Null when <paramref name="message"/> may come from node <paramref name="senderId"/>; else why not.</summary>
    public static string? Problem(ClusterConfig config, uint senderId, ClusterMessage message)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.FindNode(senderId) is not { } sender)
        {
            return $"sender node id {senderId} is not in the configuration";
        }

        if (message is not NodeMessage node)
        {
            return $"{message.GetType().Name} comes from corosync, never from a node";
        }

        if (node.From != sender.Name)
        {
            return $"{message.GetType().Name} says it is from '{node.From}' but {sender.Name} sent it";
        }

        var about = message switch
        {
            ResourceReport m => m.Node,
            GroupStarted m => m.Node,
            GroupStartFailed m => m.Node,
            GroupStopped m => m.Node,
            GroupStopFailed m => m.Node,
            ResourceFailed m => m.Node,
            MonitorReported m => m.Node,
            NodeCleared m => m.Node,
            NoState m => config.FindNode(m.NodeId)?.Name ?? $"node id {m.NodeId}",
            _ => null,
        };
        return about is not null && about != sender.Name
            ? $"{message.GetType().Name} from {sender.Name} reports for {about}: a node reports only for itself"
            : null;
    }
}
