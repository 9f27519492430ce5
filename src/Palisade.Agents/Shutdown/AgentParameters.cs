using System.Collections.Immutable;
using System.Globalization;
using Palisade.Core.Shutdown;

namespace Palisade.Agents;

/// <summary>
/// An agent's configured values read against its type's declaration: validation in the same words for every type,
/// declared defaults, and typed access. Secret values never appear in a problem text.
/// </summary>
internal sealed class AgentParameters
{
    private readonly IReadOnlyDictionary<string, string> _values;

    public AgentParameters(AgentTypeSpec spec, IReadOnlyDictionary<string, string> values)
    {
        Spec = spec;
        _values = values;
    }

    public AgentTypeSpec Spec { get; }

    /// <summary>The options not declared by the type (a fence agent's own options), in name order.</summary>
    public ImmutableSortedDictionary<string, string> PassThrough =>
        _values.Where(v => Spec.PassesThrough(v.Key)).ToImmutableSortedDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    /// <summary>Every problem: unknown names, missing required values, malformed values, exclusive sets.</summary>
    public List<string> Validate()
    {
        var problems = new List<string>();
        foreach (string name in _values.Keys.Where(n => Spec.Find(n) is null && !Spec.PassesThrough(n)))
        {
            // A preset runs its own agent; saying so beats a bare "unknown".
            string preset = Spec.FenceAgent is { } agent ? $"; type {Spec.Type} always runs {agent}" : "";
            problems.Add($"unknown parameter '{name}' (known: {string.Join(", ", Spec.Parameters.Select(d => d.Name))}{preset})");
        }

        foreach (AgentParameterSpec parameter in Spec.Parameters)
        {
            if (!_values.TryGetValue(parameter.Name, out string? value))
            {
                if (parameter.Required)
                {
                    problems.Add($"parameter '{parameter.Name}' is required: {parameter.Description}");
                }
            }
            else if (CheckValue(parameter, value) is { } problem)
            {
                problems.Add(problem);
            }
        }

        foreach (ImmutableArray<string> set in Spec.ExactlyOneOf)
        {
            if (set.Count(_values.ContainsKey) != 1)
            {
                problems.Add($"give exactly one of {Names(set)}");
            }
        }

        foreach (ImmutableArray<string> set in Spec.AtMostOneOf)
        {
            if (set.Count(_values.ContainsKey) > 1)
            {
                problems.Add($"give at most one of {Names(set)}");
            }
        }

        return problems;
    }

    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The given value, else the declared default, else null.</summary>
    public string? Get(string name) =>
        _values.TryGetValue(name, out string? value) ? value : Spec.Find(name)?.Default;

    public string Required(string name) => Get(name) ?? throw new InvalidOperationException($"'{name}' has no value");

    public int Integer(string name) => int.Parse(Required(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);

    public bool Flag(string name) => Required(name).Equals("true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A comma-separated list, else <paramref name="fallback"/>.</summary>
    public ImmutableArray<string> List(string name, ImmutableArray<string> fallback) =>
        Get(name) is { } text ? [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : fallback;

    /// <summary>
    /// The secret given inline as <paramref name="inline"/> or in the file named by <paramref name="file"/>, read at
    /// each use so that a rotated secret is picked up; null with a problem when neither works.
    /// </summary>
    public (string? Secret, string? Problem) ReadSecret(string inline = "password", string file = "password_file")
    {
        if (Get(file) is not { } path)
        {
            return Get(inline) is { } value ? (value, null) : (null, $"no {inline} given");
        }

        try
        {
            string secret = File.ReadAllText(path).TrimEnd('\n', '\r');
            return secret.Length == 0 ? (null, $"{file} {path} is empty") : (secret, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot read {file} {path}: {e.Message}");
        }
    }

    private static string Names(ImmutableArray<string> set) => string.Join(" and ", set.Select(n => $"'{n}'"));

    private static string? CheckValue(AgentParameterSpec parameter, string value)
    {
        // Secret values never go into a message, not even a malformed one.
        string shown = parameter.Secret ? "(secret)" : $"'{value}'";
        if (value.Trim().Length == 0)
        {
            return $"parameter '{parameter.Name}' is empty";
        }

        switch (parameter.Kind)
        {
            case ParameterKind.Integer:
                if (!long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
                {
                    return $"parameter '{parameter.Name}' must be an integer, got {shown}";
                }

                return number < parameter.Min || number > parameter.Max
                    ? $"parameter '{parameter.Name}' must be {parameter.Min}..{parameter.Max}, got {number}"
                    : null;
            case ParameterKind.Choice when !parameter.Choices.Contains(value, StringComparer.OrdinalIgnoreCase):
                return $"parameter '{parameter.Name}' must be one of {string.Join(", ", parameter.Choices)}, got {shown}";
            case ParameterKind.Flag when !bool.TryParse(value, out _):
                return $"parameter '{parameter.Name}' must be true or false, got {shown}";
            case ParameterKind.Path when !value.StartsWith('/'):
                return $"parameter '{parameter.Name}' must be an absolute path, got {shown}";
            default:
                return null;
        }
    }
}
