using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Reads one entry of a node's <c>shutdown_agents</c> list against the declaration of its type.</summary>
internal static class AgentReader
{
    private static readonly string[] CommonKeys = ["type", "timeout"];

    public static ShutdownAgentConfig? Read(YamlNode node, string path, Diagnostics diagnostics)
    {
        var m = MappingReader.Open(node, path, diagnostics, "a shutdown agent (a mapping with at least a 'type' key)");
        if (m is null)
        {
            return null;
        }

        var before = diagnostics.Count;
        var declaration = ReadType(m);
        var timeout = m.ReadDuration("timeout", TimeSpan.FromMilliseconds(1));
        if (declaration is null)
        {
            // Without a known type the other keys cannot be told apart from typos.
            return null;
        }

        var parameters = ReadParameters(m, declaration);
        if (diagnostics.Count > before)
        {
            return null;
        }

        var agent = new ShutdownAgentConfig { Type = declaration.Type, Parameters = parameters };
        return timeout is { } t ? agent with { Timeout = t } : agent;
    }

    private static AgentTypeSpec? ReadType(MappingReader m)
    {
        var expected = $"a shutdown agent type ({ShutdownAgentCatalog.KnownTypes})";
        var node = m.Required("type", expected);
        var type = node is null ? null : Scalars.Text(node, m.Field("type"), m.Diagnostics, expected);
        if (type is null)
        {
            return null;
        }

        var declaration = ShutdownAgentCatalog.Find(type);
        if (declaration is null)
        {
            m.Diagnostics.Report(node!, m.Field("type"),
                $"unknown shutdown agent type '{Scalars.Printable(type)}' (known: {ShutdownAgentCatalog.KnownTypes})");
        }

        return declaration;
    }

    private static ImmutableSortedDictionary<string, string> ReadParameters(MappingReader m, AgentTypeSpec declaration)
    {
        var values = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        var given = new List<(string Name, YamlScalarNode Key)>();
        foreach (var (name, key, value) in m.Entries)
        {
            if (CommonKeys.Contains(name))
            {
                continue;
            }

            var parameter = declaration.Find(name);
            if (parameter is null && declaration.PassesThrough(name))
            {
                given.Add((name, key));
                var option = ReadOption(m, declaration, name, value);
                if (option is not null)
                {
                    values[name] = option;
                }

                continue;
            }

            if (parameter is null)
            {
                var known = CommonKeys.Concat(declaration.Parameters.Select(p => p.Name)).ToList();
                m.Diagnostics.Report(key, m.Field(name), MappingReader.UnknownKeyMessage($"{declaration.Type} parameter", name, known));
                continue;
            }

            given.Add((name, key));
            var normalized = ReadValue(m, parameter, value);
            if (normalized is not null)
            {
                values[name] = normalized;
            }
        }

        // Only what the file says is kept (in canonical spelling); the agent applies the declared defaults when it runs.
        CheckRequired(m, declaration, given);
        return values.ToImmutable();
    }

    private static string? ReadValue(MappingReader m, AgentParameterSpec parameter, YamlNode value)
    {
        var secret = parameter.Secret || SecretNames.IsSecret(parameter.Name);
        var field = m.Field(parameter.Name);
        var text = Scalars.Text(value, field, m.Diagnostics, ParameterValues.Expected(parameter), secret);
        if (text is null)
        {
            return null;
        }

        var normalized = ParameterValues.Normalize(parameter, text);
        if (normalized is null)
        {
            Scalars.ReportInvalid(value, field, m.Diagnostics, ParameterValues.Expected(parameter), secret);
        }

        return normalized;
    }

    /// <summary>A fence agent's own option: kept as written; its metadata is checked when the agent is initialised.</summary>
    private static string? ReadOption(MappingReader m, AgentTypeSpec declaration, string name, YamlNode value)
    {
        const string Expected = "a non-empty text on one line";
        var secret = declaration.IsSecret(name);
        var field = m.Field(name);
        var text = Scalars.Text(value, field, m.Diagnostics, Expected, secret);
        if (text is null)
        {
            return null;
        }

        var option = ParameterValues.Text(text);
        if (option is null)
        {
            Scalars.ReportInvalid(value, field, m.Diagnostics, Expected, secret);
        }

        return option;
    }

    private static void CheckRequired(MappingReader m, AgentTypeSpec declaration, List<(string Name, YamlScalarNode Key)> given)
    {
        foreach (var parameter in declaration.Parameters.Where(p => p.Required))
        {
            if (!given.Any(g => g.Name == parameter.Name))
            {
                m.ReportMissing(parameter.Name, ParameterValues.Expected(parameter));
            }
        }

        foreach (var set in declaration.ExactlyOneOf)
        {
            var present = given.Where(g => set.Contains(g.Name)).ToList();
            var choices = Fields.Choices(set);
            if (present.Count == 0)
            {
                m.Diagnostics.Report(m.Node, m.Field(set[0]), $"required; give exactly one of {choices}");
            }
            else if (present.Count > 1)
            {
                m.Diagnostics.Report(present[1].Key, m.Field(present[1].Name), $"give exactly one of {choices}, not {(set.Length == 2 ? "both" : "several")}");
            }
        }

        foreach (var set in declaration.AtMostOneOf)
        {
            var present = given.Where(g => set.Contains(g.Name)).ToList();
            if (present.Count > 1)
            {
                m.Diagnostics.Report(present[1].Key, m.Field(present[1].Name), $"give at most one of {Fields.Choices(set)}, not {(set.Length == 2 ? "both" : "several")}");
            }
        }
    }
}
