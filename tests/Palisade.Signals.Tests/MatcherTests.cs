using Palisade.Core.Messages;
using Xunit;

namespace Palisade.Signals.Tests;

/// <summary>What a matching rule puts into the message: keyword, text, source, node and id.</summary>
public sealed class MatcherTests
{
    private const string LinkRules = """
        rules:
          - name: link-down
            pattern: '(?<dev>[^\s:]+): NIC Link is Down'
            category: NIC
            severity: error
            keyword: '${dev}'
          - name: any-nic
            pattern: 'NIC Link'
            category: NIC
            severity: warning
            keyword: 'nic-${missing}'
            text: 'a NIC changed: ${0}'
          - name: literal
            pattern: '^e1000e '
            category: SPS
            severity: clear
            keyword: e1000e
          - name: optional-group
            pattern: '^e1000e(?: (?<absent>absent))? '
            category: NIC
            severity: warning
            keyword: '${absent}'
        """;

    private static readonly LogRuleMatcher Matcher = new(RuleSet.Parse("link.yaml", LinkRules.Replace("nic-${missing}", "nic", StringComparison.Ordinal)));

    private static IReadOnlyList<ExternalNotice> Match(string text) => Matcher.Match(Recorded.Line(text), Recorded.T0, "n1");

    [Fact]
    public void Every_matching_rule_makes_its_own_message_in_rule_order()
    {
        var notices = Match("[  1.000000] e1000e 0000:00:19.0 eth0: NIC Link is Down");

        Assert.Equal(
            [
                ("NIC", "eth0", NoticeSeverity.Error, "e1000e 0000:00:19.0 eth0: NIC Link is Down", "kernel log rule link-down"),
                ("NIC", "nic", NoticeSeverity.Warning, "a NIC changed: NIC Link", "kernel log rule any-nic"),
                ("SPS", "e1000e", NoticeSeverity.Clear, "e1000e 0000:00:19.0 eth0: NIC Link is Down", "kernel log rule literal"),
                ("NIC", null, NoticeSeverity.Warning, "e1000e 0000:00:19.0 eth0: NIC Link is Down", "kernel log rule optional-group"),
            ],
            notices.Select(n => (n.Category, n.Keyword, n.Severity, n.Text, n.Source)));
        Assert.All(notices, n => Assert.Null(n.Node));
    }

    [Fact]
    public void A_line_no_rule_matches_makes_nothing()
    {
        Assert.Empty(Match("[  1.000000] eth0: renamed from veth1234"));
    }

    [Fact]
    public void A_rule_file_that_names_a_missing_group_is_refused_before_matching()
    {
        var set = RuleSet.Parse("link.yaml", LinkRules);
        Assert.Equal("link.yaml:11:14: rules[1].keyword: '${missing}' names no group of the pattern (it has no named groups)", Assert.Single(set.Errors).ToString());
        Assert.Equal(["link-down", "literal", "optional-group"], set.Rules.Select(r => r.Name));
    }

    [Fact]
    public void Long_or_odd_text_is_made_acceptable_to_the_receiver()
    {
        var matcher = new LogRuleMatcher(Rules.Parse("rules:\n  - {name: any, pattern: 'x', category: NIC, severity: error, keyword: 'dev\\x01${rest}', text: '${rest}'}\n".Replace("'x'", "'x(?<rest>.*)'", StringComparison.Ordinal)));
        var rest = string.Concat(Enumerable.Repeat("é", 3000)) + "\u0007\uFFFD";
        var notice = Assert.Single(matcher.Match(new KernelLogLine { Message = "x" + rest, Raw = "x", Format = KernelLogFormat.Text }, Recorded.T0, "n1"));

        Assert.Null(ExternalNoticeRules.Problem(notice, ExternalNoticeRules.BuiltInCategories, ["n1"]));
        Assert.EndsWith("...", notice.Text, StringComparison.Ordinal);
        Assert.Equal(ExternalNoticeRules.MaxTextBytes - 1, System.Text.Encoding.UTF8.GetByteCount(notice.Text));
        Assert.StartsWith("dev\\x01éé", notice.Keyword, StringComparison.Ordinal);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(notice.Keyword!) <= ExternalNoticeRules.MaxKeywordBytes);
    }

    [Fact]
    public void Control_characters_become_spaces_and_undecodable_characters_question_marks()
    {
        var matcher = new LogRuleMatcher(Rules.Parse("rules:\n  - {name: any, pattern: 'bad', category: NIC, severity: error}\n"));
        var notice = Assert.Single(matcher.Match(new KernelLogLine { Message = "bad\u0001line\twith \uFFFD and \uD800", Raw = "bad", Format = KernelLogFormat.Text }, Recorded.T0, "n1"));
        Assert.Equal("bad line\twith ? and ?", notice.Text);
    }
}
