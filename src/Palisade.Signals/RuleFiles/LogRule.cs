using System.Text.RegularExpressions;
using Palisade.Core.Messages;

namespace Palisade.Signals;

/// <summary>
/// One rule of a rule file: a pattern matched against the message of kernel log lines, and the message a match sends.
/// </summary>
/// <param name="Name">Unique across the loaded files; names the rule in the message's source and id.</param>
/// <param name="Pattern">Matched anywhere in <see cref="KernelLogLine.Message"/>; runs in linear time (no backtracking).</param>
/// <param name="Keyword">The device the message is about: literal text with <c>${group}</c> substitutions, or null for none.</param>
/// <param name="Text">The message's text with <c>${group}</c> substitutions, or null for the matched line's message.</param>
/// <param name="Count">When set, a message is sent only on the <paramref name="Count"/>th match for the same keyword
/// within <paramref name="Within"/>.</param>
/// <param name="File">The rule file the rule came from.</param>
/// <param name="Line">The line of the rule's entry in <paramref name="File"/>.</param>
public sealed record LogRule(
    string Name,
    Regex Pattern,
    string Category,
    NoticeSeverity Severity,
    string? Keyword,
    string? Text,
    int? Count,
    TimeSpan? Within,
    string File,
    int Line)
{
    /// <summary>Whether matches are counted before a message is sent.</summary>
    public bool IsCounted => Count is not null && Within is not null;

    /// <summary>The options every rule pattern is compiled with.</summary>
    public const RegexOptions PatternOptions = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
}
