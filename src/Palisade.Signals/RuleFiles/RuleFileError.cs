namespace Palisade.Signals;

/// <summary>A problem in a rule file: where (line and column are 1-based), which field, and why.</summary>
/// <param name="Field">The path of the field, like <c>rules[2].pattern</c>.</param>
public sealed record RuleFileError(string File, int Line, int Column, string Field, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Field}: {Message}";
}
