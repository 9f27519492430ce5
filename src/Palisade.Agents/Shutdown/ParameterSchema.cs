using System.Globalization;

namespace Palisade.Agents;

/// <summary>Checks parameter values against an agent type's declaration.</summary>
internal static class ParameterSchema
{
    public const string StringType = "string";
    public const string IntegerType = "integer";
    public const string PathType = "path";
    public const string EnumType = "enum";

    /// <summary>Every problem found: unknown names, missing required values, malformed integers or enum values.</summary>
    public static List<string> Validate(IReadOnlyList<AgentParameterInfo> declared, IReadOnlyDictionary<string, string> values)
    {
        var problems = new List<string>();
        foreach (string name in values.Keys.Where(n => declared.All(d => d.Name != n)))
        {
            problems.Add($"unknown parameter '{name}' (known: {string.Join(", ", declared.Select(d => d.Name))})");
        }

        foreach (AgentParameterInfo parameter in declared)
        {
            if (!values.TryGetValue(parameter.Name, out string? value))
            {
                if (parameter.Required)
                {
                    problems.Add($"parameter '{parameter.Name}' is required: {parameter.Description}");
                }

                continue;
            }

            if (CheckValue(parameter, value) is { } problem)
            {
                problems.Add(problem);
            }
        }

        return problems;
    }

    /// <summary>The given value, else the declared default, else null.</summary>
    public static string? Get(IReadOnlyList<AgentParameterInfo> declared, IReadOnlyDictionary<string, string> values, string name) =>
        values.TryGetValue(name, out string? value) ? value : declared.Single(d => d.Name == name).Default;

    private static string? CheckValue(AgentParameterInfo parameter, string value)
    {
        // Secret values never go into a message, not even a malformed one.
        string shown = parameter.Secret ? "(secret)" : $"'{value}'";
        if (value.Trim().Length == 0)
        {
            return $"parameter '{parameter.Name}' is empty";
        }

        return parameter.Type switch
        {
            IntegerType when !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) =>
                $"parameter '{parameter.Name}' must be a non-negative integer, got {shown}",
            EnumType when !parameter.AllowedValues.Contains(value, StringComparer.OrdinalIgnoreCase) =>
                $"parameter '{parameter.Name}' must be one of {string.Join(", ", parameter.AllowedValues)}, got {shown}",
            _ => null,
        };
    }
}
