using Palisade.Agents;
using Palisade.Core.Configuration;

namespace Palisade.Daemon;

/// <summary>Gives the shutdown agent that fences <c>target</c> as configured; disposing closes shared listeners.</summary>
internal interface IShutdownAgentFactory : IAsyncDisposable
{
    IShutdownAgent Create(ShutdownAgentConfig agent, NodeConfig target);
}

/// <summary>The real shutdown agents (BMCs, fence agents, kdump, icmp), sharing one set of services per process.</summary>
internal sealed class CatalogShutdownAgents(ShutdownAgentServices services) : IShutdownAgentFactory
{
    public ShutdownAgentServices Services => services;

    public IShutdownAgent Create(ShutdownAgentConfig agent, NodeConfig target) =>
        ShutdownAgentFactory.Create(agent, ShutdownAgentFactory.TargetOf(target), services);

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
