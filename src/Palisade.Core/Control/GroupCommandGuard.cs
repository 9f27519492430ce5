using Palisade.Core.Configuration;
using Palisade.Core.State;

namespace Palisade.Core.Control;

/// <summary>
/// When an operator's group command must wait. In a two-node cluster both halves of a cut keep quorum, so while the
/// other node is lost and not yet fenced it may be alive, win the fence race and go on from its own state, which never
/// heard the command: a stop accepted here could be undone there. Until that node is fenced, confirmed down or back,
/// group commands are refused. With three or more nodes only one side of a split can hold quorum, so a quorate
/// partition's command always stands.
/// </summary>
public static class GroupCommandGuard
{
    /// <summary>Why a group command cannot be taken now, or null when it can.</summary>
    public static string? WhyRefused(ClusterConfig config, ClusterState state, string localNode)
    {
        if (!config.TwoNode)
        {
            return null;
        }

        var lost = state.Nodes.Values.FirstOrDefault(n => n.Name != localNode
            && n.State is NodeState.Unclean or NodeState.Fencing && !state.Members.Contains(n.Id));
        return lost is null
            ? null
            : $"{lost.Name} is {lost.State} ({lost.Reason}) and not yet fenced: in a two-node cluster it may still be alive and "
              + $"carry on without this command; fence it or, once you know it is off, run 'palisade sd --confirm-down {lost.Name}', then retry";
    }
}
