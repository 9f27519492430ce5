using System.Collections.Immutable;
using System.Globalization;
using Palisade.Core.Configuration;

namespace Palisade.Agents.Tests;

/// <summary>Shutdown agent configurations for the fence-agent runner tests, and the agents built from them.</summary>
internal static class FenceAgentConfigs
{
    public static readonly ShutdownTarget Target = new("n2", 2, ["198.18.0.2"]);

    /// <summary>fence_ipmilan options for an <see cref="IpmiSim"/>; always cipher suite 3, which the sim supports.</summary>
    public static (string Name, string Value)[] IpmilanOptions(int port, string password = IpmiSim.Password) =>
    [
        ("agent", "fence_ipmilan"),
        ("ip", "127.0.0.1"),
        ("ipport", port.ToString(CultureInfo.InvariantCulture)),
        ("username", IpmiSim.User),
        ("password", password),
        ("lanplus", "1"),
        ("cipher", "3"),
    ];

    public static ShutdownAgentConfig Config(string type, TimeSpan timeout, IEnumerable<(string Name, string Value)> parameters) => new()
    {
        Type = type,
        Timeout = timeout,
        Parameters = parameters.ToImmutableSortedDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal),
    };

    public static IShutdownAgent Agent(string type, TimeSpan timeout, IEnumerable<(string Name, string Value)> parameters, ListLoggerFactory loggers) =>
        ShutdownAgentFactory.Create(Config(type, timeout, parameters), Target, new ShutdownAgentServices(loggers, TimeProvider.System));

    /// <summary>The options with <paramref name="changes"/> applied: a null value removes the option.</summary>
    public static (string Name, string Value)[] With(this (string Name, string Value)[] options, params (string Name, string? Value)[] changes)
    {
        var result = options.ToDictionary(o => o.Name, o => o.Value, StringComparer.Ordinal);
        foreach ((string name, string? value) in changes)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = value;
            }
        }

        return [.. result.Select(r => (r.Key, r.Value))];
    }
}
