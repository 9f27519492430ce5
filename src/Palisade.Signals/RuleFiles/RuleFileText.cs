namespace Palisade.Signals;

/// <summary>The text of one rule file and the name its errors are reported under.</summary>
public sealed record RuleFileText(string File, string Yaml);
