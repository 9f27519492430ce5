using Palisade.Core.Configuration;

namespace Palisade.Configuration;

/// <summary>One problem found in a configuration file, with its exact place.</summary>
/// <param name="Line">1-based line; 0 when the problem is the file itself (missing, unreadable).</param>
/// <param name="Column">1-based column; 0 when the problem is the file itself.</param>
/// <param name="Field">Path of the offending field, e.g. <c>nodes[1].shutdown_agents[0].port</c>.</param>
public sealed record ConfigError(string File, int Line, int Column, string Field, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Field}: {Message}";
}

/// <summary>The outcome of loading a file: a config when there are no errors, else every error found.</summary>
public sealed record ConfigLoadResult(ClusterConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool Ok => Config is not null && Errors.Count == 0;
}
