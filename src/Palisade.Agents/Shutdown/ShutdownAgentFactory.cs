using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>Builds shutdown agents and describes the parameters each type accepts.</summary>
public static class ShutdownAgentFactory
{
    public static IReadOnlyList<string> SupportedTypes { get; } = [IpmiSettings.TypeName];

    /// <summary>The declared parameters of a shutdown agent type.</summary>
    /// <exception cref="ArgumentException">The type is not one of <see cref="SupportedTypes"/>.</exception>
    public static IReadOnlyList<AgentParameterInfo> DescribeParameters(string type) =>
        IsIpmi(type) ? IpmiSettings.Declaration : throw new ArgumentException($"unknown shutdown agent type '{type}'", nameof(type));

    /// <summary>Every problem with the agent's type and parameters; empty when it is usable. Files are not read here.</summary>
    public static IReadOnlyList<string> Validate(ShutdownAgentConfig agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return IsIpmi(agent.Type)
            ? IpmiSettings.Parse(agent.Parameters).Problems
            : [$"unknown shutdown agent type '{agent.Type}' (known: {string.Join(", ", SupportedTypes)})"];
    }

    /// <summary>
    /// Never throws for configuration problems: an agent that cannot work answers every call with
    /// <see cref="AgentOutcome.NotConfigured"/> and the problems in its reason.
    /// </summary>
    public static IShutdownAgent Create(ShutdownAgentConfig agent, NodeConfig target, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(loggers);
        ArgumentNullException.ThrowIfNull(time);
        if (!IsIpmi(agent.Type))
        {
            return Unusable(agent, target, Validate(agent));
        }

        (IpmiSettings? settings, IReadOnlyList<string> problems) = IpmiSettings.Parse(agent.Parameters);
        return settings is null
            ? Unusable(agent, target, problems)
            : new IpmiShutdownAgent(agent, settings, target, loggers.CreateLogger("Palisade.Agents.Ipmi"), time);
    }

    private static UnusableShutdownAgent Unusable(ShutdownAgentConfig agent, NodeConfig target, IReadOnlyList<string> problems) =>
        new(agent.Type, $"{target.Name}: shutdown agent {agent.Type}: {string.Join("; ", problems)}");

    private static bool IsIpmi(string type) => string.Equals(type, IpmiSettings.TypeName, StringComparison.OrdinalIgnoreCase);
}
