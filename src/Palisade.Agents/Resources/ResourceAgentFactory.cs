using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>Builds the agent for one resource on one node.</summary>
public static class ResourceAgentFactory
{
    /// <summary>Overrides <see cref="OcfResourceAgent.DefaultOcfRoot"/>, e.g. for tests with their own agents.</summary>
    public const string OcfRootVariable = "PALISADE_OCF_ROOT";

    /// <summary>
    /// Never throws for configuration problems: an agent that cannot run answers every action with
    /// <see cref="AgentOutcome.NotConfigured"/> and a reason.
    /// </summary>
    /// <param name="markers">Where exec resources without a monitor command record that palisaded started them.</param>
    public static IResourceAgent Create(ResourceConfig resource, string groupName, string localNodeName, StartMarkers markers, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(markers);
        ArgumentNullException.ThrowIfNull(loggers);
        return resource.Kind switch
        {
            ResourceKind.Exec => new ExecResourceAgent(resource, groupName, localNodeName, markers, loggers.CreateLogger("Palisade.Agents.Exec")),
            ResourceKind.Ocf => new OcfResourceAgent(resource, localNodeName, OcfRoot(), loggers.CreateLogger("Palisade.Agents.Ocf")),
            _ => throw new ArgumentOutOfRangeException(nameof(resource), resource.Kind, "unknown resource kind"),
        };
    }

    private static string OcfRoot()
    {
        string? root = Environment.GetEnvironmentVariable(OcfRootVariable);
        return string.IsNullOrWhiteSpace(root) ? OcfResourceAgent.DefaultOcfRoot : root;
    }
}
