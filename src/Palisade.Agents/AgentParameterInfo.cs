namespace Palisade.Agents;

/// <summary>
/// One parameter an agent type accepts. The single declaration drives validation, help text and redaction.
/// </summary>
/// <param name="Type">One of <c>string</c>, <c>integer</c>, <c>path</c>, <c>enum</c>.</param>
/// <param name="AllowedValues">For <c>enum</c> parameters, the accepted values (case-insensitive); else empty.</param>
public sealed record AgentParameterInfo(
    string Name,
    string Type,
    bool Required,
    string? Default,
    bool Secret,
    string Description,
    IReadOnlyList<string> AllowedValues);
