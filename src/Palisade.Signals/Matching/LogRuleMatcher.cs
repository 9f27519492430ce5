using System.Collections.Immutable;
using Palisade.Core.Messages;

namespace Palisade.Signals;

/// <summary>
/// Turns kernel log lines into external messages by a set of rules. No I/O and no clock: the time of each line is
/// passed in. The only state is the recent matches of counted rules, at most <see cref="MaxWindows"/> (rule, keyword)
/// windows; the one touched longest ago is dropped first. Not thread-safe: one reader feeds one matcher.
/// </summary>
public sealed class LogRuleMatcher
{
    public const int DefaultMaxWindows = 4096;

    private readonly HitWindows windows;

    public LogRuleMatcher(IEnumerable<LogRule> rules, int maxWindows = DefaultMaxWindows)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWindows, 1);
        Rules = [.. rules];
        MaxWindows = maxWindows;
        windows = new HitWindows(maxWindows);
    }

    public LogRuleMatcher(RuleSet ruleSet, int maxWindows = DefaultMaxWindows)
        : this((ruleSet ?? throw new ArgumentNullException(nameof(ruleSet))).Rules, maxWindows)
    {
    }

    public ImmutableArray<LogRule> Rules { get; }

    public int MaxWindows { get; }

    /// <summary>How many (rule, keyword) windows of counted rules are remembered now.</summary>
    public int RememberedWindows => windows.Count;

    /// <summary>
    /// The messages <paramref name="line"/> makes, one per rule whose pattern matches its message (a counted rule
    /// only on the match that completes its count). Each message concerns the receiving node (<c>Node</c> is null);
    /// <paramref name="node"/> (this node's name) goes into the id, which is the same whenever the same line is read again.
    /// </summary>
    public IReadOnlyList<ExternalNotice> Match(KernelLogLine line, DateTimeOffset now, string node)
    {
        ArgumentNullException.ThrowIfNull(line);
        ArgumentNullException.ThrowIfNull(node);
        List<ExternalNotice>? notices = null;
        foreach (var rule in Rules)
        {
            var match = rule.Pattern.Match(line.Message);
            if (!match.Success)
            {
                continue;
            }

            var keyword = rule.Keyword is null ? null : NoticeText.Fit(RuleTemplate.Expand(rule.Keyword, match), ExternalNoticeRules.MaxKeywordBytes);
            keyword = string.IsNullOrEmpty(keyword) ? null : keyword;
            if (rule.IsCounted && !windows.Hit(rule.Name, keyword, now, line.Sequence, rule.Count!.Value, rule.Within!.Value))
            {
                continue;
            }

            var text = rule.Text is null ? DefaultText(rule, line) : RuleTemplate.Expand(rule.Text, match);
            (notices ??= []).Add(new ExternalNotice(
                rule.Category,
                keyword,
                rule.Severity,
                NoticeText.Fit(text, ExternalNoticeRules.MaxTextBytes),
                SenderName(rule),
                Node: null,
                NoticeIds.For(node, line, rule.Name)));
        }

        return notices ?? (IReadOnlyList<ExternalNotice>)[];
    }

    /// <summary>Who every message of <paramref name="rule"/> says it is from.</summary>
    public static string SenderName(LogRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return $"kernel log rule {rule.Name}";
    }

    private static string DefaultText(LogRule rule, KernelLogLine line) =>
        rule.IsCounted ? $"{line.Message.Trim()} ({rule.Count} times within {RuleDuration.Format(rule.Within!.Value)})" : line.Message.Trim();
}
