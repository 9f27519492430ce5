using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;

namespace Palisade.Agents;

/// <summary>Builds shutdown agents from configuration; each type's parameters are declared in <see cref="ShutdownAgentCatalog"/>.</summary>
public static class ShutdownAgentFactory
{
    private delegate IShutdownAgent Build(AgentParameters parameters, ShutdownAgentConfig config, ShutdownTarget target, ShutdownAgentServices services);

    private static readonly ImmutableDictionary<string, Build> Builders = new Dictionary<string, Build>
    {
        [ShutdownAgentCatalog.Ipmi.Type] = IpmiShutdownAgent.Create,
        [ShutdownAgentCatalog.FenceAgent.Type] = FenceAgentShutdownAgent.Create,
        [ShutdownAgentCatalog.Redfish.Type] = RedfishShutdownAgent.Create,
        [ShutdownAgentCatalog.Irmc.Type] = RedfishShutdownAgent.Create,
        [ShutdownAgentCatalog.Kdump.Type] = KdumpShutdownAgent.Create,
        [ShutdownAgentCatalog.Icmp.Type] = IcmpShutdownAgent.Create,
        [ShutdownAgentCatalog.Watchdog.Type] = WatchdogShutdownAgent.Create,
    }
    .Concat(FenceAgentPresets())
    .ToImmutableDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The types this build can run: every declared type that has an implementation.</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } =
        [.. ShutdownAgentCatalog.All.Select(a => a.Type).Where(Builders.ContainsKey)];

    /// <summary>The target as agents see it: name, id and every address (interconnect first, then admin).</summary>
    public static ShutdownTarget TargetOf(NodeConfig node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return new(node.Name, node.Id, node.Admin is null ? node.Interconnect : node.Interconnect.Add(node.Admin));
    }

    /// <summary>Every problem with the agent's type and parameters; empty when it is usable. Files are not read here.</summary>
    public static IReadOnlyList<string> Validate(ShutdownAgentConfig agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Spec(agent.Type) is { } spec
            ? new AgentParameters(spec, agent.Parameters).Validate()
            : [$"unknown shutdown agent type '{agent.Type}' (known: {string.Join(", ", SupportedTypes)})"];
    }

    /// <summary>
    /// Never throws for configuration problems: an agent that cannot work answers every call with
    /// <see cref="AgentOutcome.NotConfigured"/> and the problems in its reason.
    /// </summary>
    public static IShutdownAgent Create(ShutdownAgentConfig agent, ShutdownTarget target, ShutdownAgentServices services)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(services);
        IReadOnlyList<string> problems = Validate(agent);
        if (problems.Count > 0)
        {
            return new UnusableShutdownAgent(agent.Type, $"{target.Name}: shutdown agent {agent.Type}: {string.Join("; ", problems)}");
        }

        var parameters = new AgentParameters(Spec(agent.Type)!, agent.Parameters);
        return Builders[agent.Type](parameters, agent, target, services);
    }

    /// <summary>Every preset over a ClusterLabs agent (aws, libvirt, ...) runs through the one fence-agent runner.</summary>
    private static IEnumerable<KeyValuePair<string, Build>> FenceAgentPresets() =>
        ShutdownAgentCatalog.All
            .Where(a => a.FenceAgent is not null)
            .Select(a => KeyValuePair.Create(a.Type, (Build)FenceAgentShutdownAgent.Create));

    private static AgentTypeSpec? Spec(string type) =>
        Builders.ContainsKey(type) ? ShutdownAgentCatalog.Find(type) : null;
}
