using System.Collections.Immutable;
using System.Xml;
using System.Xml.Linq;

namespace Palisade.Agents;

/// <summary>One parameter a fence agent declares in its metadata.</summary>
/// <param name="Obsoletes">The older name this one replaces (<c>ip</c> obsoletes <c>ipaddr</c>); that name is still accepted.</param>
/// <param name="ContentType">string, integer, second, boolean or select.</param>
internal sealed record FenceAgentParameter(
    string Name,
    bool Required,
    bool Deprecated,
    string? Obsoletes,
    string ContentType,
    ImmutableArray<string> Choices,
    string Description);

/// <summary>
/// What <c>fence_x -o metadata</c> says about an agent: its parameters (including the legacy names it still
/// accepts, marked deprecated) and its actions.
/// </summary>
internal sealed class FenceAgentMetadata
{
    private FenceAgentMetadata(string agent, ImmutableDictionary<string, FenceAgentParameter> parameters, ImmutableHashSet<string> actions)
    {
        Agent = agent;
        Parameters = parameters;
        Actions = actions;
    }

    /// <summary>The name the agent gives itself.</summary>
    public string Agent { get; }

    public ImmutableDictionary<string, FenceAgentParameter> Parameters { get; }

    public ImmutableHashSet<string> Actions { get; }

    public bool Takes(string name) => Parameters.ContainsKey(name);

    /// <summary>
    /// The names that mean the same parameter as <paramref name="name"/>: itself, the legacy name it obsoletes and
    /// the current name that obsoletes it.
    /// </summary>
    public ImmutableSortedSet<string> SameAs(string name)
    {
        var names = ImmutableSortedSet.CreateBuilder<string>(StringComparer.Ordinal);
        names.Add(name);
        if (Parameters.TryGetValue(name, out FenceAgentParameter? parameter) && parameter.Obsoletes is { } older)
        {
            names.Add(older);
        }

        foreach (FenceAgentParameter newer in Parameters.Values.Where(p => p.Obsoletes == name))
        {
            names.Add(newer.Name);
        }

        return names.ToImmutable();
    }

    /// <summary>Parses the XML; <see cref="FormatException"/> says what is wrong with it.</summary>
    public static FenceAgentMetadata Parse(string xml)
    {
        XDocument document;
        try
        {
            // DTDs are refused: metadata never needs one, and they are the usual vector of XML entity tricks.
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
            document = XDocument.Load(reader);
        }
        catch (XmlException e)
        {
            throw new FormatException($"metadata is not valid XML: {e.Message}", e);
        }

        XElement root = document.Root is { Name.LocalName: "resource-agent" } r
            ? r
            : throw new FormatException("metadata has no <resource-agent> element");
        XElement parametersElement = root.Element("parameters") ?? throw new FormatException("metadata has no <parameters> element");

        var parameters = ImmutableDictionary.CreateBuilder<string, FenceAgentParameter>(StringComparer.Ordinal);
        foreach (XElement element in parametersElement.Elements("parameter"))
        {
            FenceAgentParameter parameter = ReadParameter(element);

            // Some agents list a name twice (the same option spelt with '-' and '_' maps back to one); keep the first.
            parameters.TryAdd(parameter.Name, parameter);
        }

        ImmutableHashSet<string> actions = root.Element("actions")?.Elements("action")
            .Select(a => (string?)a.Attribute("name"))
            .OfType<string>()
            .ToImmutableHashSet(StringComparer.Ordinal) ?? [];
        return new FenceAgentMetadata((string?)root.Attribute("name") ?? "", parameters.ToImmutable(), actions);
    }

    private static FenceAgentParameter ReadParameter(XElement element)
    {
        string name = (string?)element.Attribute("name") is { Length: > 0 } n
            ? n
            : throw new FormatException("metadata has a <parameter> without a name");
        XElement? content = element.Element("content");
        return new FenceAgentParameter(
            name,
            (string?)element.Attribute("required") == "1",
            (string?)element.Attribute("deprecated") == "1",
            (string?)element.Attribute("obsoletes") is { Length: > 0 } older ? older : null,
            (string?)content?.Attribute("type") ?? "string",
            content?.Elements("option").Select(o => (string?)o.Attribute("value")).OfType<string>().ToImmutableArray() ?? [],
            ((string?)element.Element("shortdesc") ?? "").Trim());
    }
}
