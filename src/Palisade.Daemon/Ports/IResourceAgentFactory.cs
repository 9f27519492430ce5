using Microsoft.Extensions.Logging;
using Palisade.Agents;
using Palisade.Core.Configuration;

namespace Palisade.Daemon;

/// <summary>Gives the agent that drives one resource of one group on this node.</summary>
internal interface IResourceAgentFactory
{
    IResourceAgent Create(ResourceConfig resource, string group, string node);
}

/// <summary>The real resource agents: OCF and exec, run as processes; exec starts are recorded in <paramref name="markers"/>.</summary>
internal sealed class ProcessResourceAgents(ILoggerFactory loggers, StartMarkers markers) : IResourceAgentFactory
{
    public IResourceAgent Create(ResourceConfig resource, string group, string node) =>
        ResourceAgentFactory.Create(resource, group, node, markers, loggers);
}
