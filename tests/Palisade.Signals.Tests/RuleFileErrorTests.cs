using Xunit;

namespace Palisade.Signals.Tests;

/// <summary>Every problem in a rule file is reported with the file, line, field and why; nothing throws.</summary>
public sealed class RuleFileErrorTests
{
    private const string File = "site.yaml";

    /// <summary>A file with one rule whose keys are the '|'-separated <paramref name="body"/>, one per line from line 2.</summary>
    private static string OneRule(string body) => "rules:\n  - " + string.Join("\n    ", body.Split('|')) + "\n";

    [Theory]
    [InlineData("name: r1|pattern: '(?<k>abc'|category: NIC|severity: error", 3, "rules[0].pattern", "not a usable regular expression: Invalid pattern '(?<k>abc' at offset 8*")]
    [InlineData("name: r1|pattern: '(?=eth)eth0'|category: NIC|severity: error", 3, "rules[0].pattern", "not a usable regular expression: rule patterns run in linear time, without lookarounds*")]
    [InlineData("name: r1|pattern: '(eth)\\1'|category: NIC|severity: error", 3, "rules[0].pattern", "not a usable regular expression: rule patterns run in linear time, without lookarounds, backreferences*")]
    [InlineData("name: r1|pattern: x|category: NIC|severity: fatal", 5, "rules[0].severity", "unknown severity 'fatal' (expected error, warning or clear)")]
    [InlineData("name: r1|pattern: x|category: NIC|severity: error|labels: x", 6, "rules[0].labels", "unknown key (expected one of: name, pattern, category, severity, keyword, text, count, within)")]
    [InlineData("name: r1|pattern: x|category: NIC|severity: error|count: 3", 6, "rules[0].count", "count needs within: the time the matches must fall in, like 60s")]
    [InlineData("name: r1|pattern: x|category: NIC|severity: error|within: 60s", 6, "rules[0].within", "within needs count: how many matches must fall in it")]
    [InlineData("name: r1|pattern: x|category: NIC|severity: error|count: 3|within: 60 seconds", 7, "rules[0].within", "expected a duration like 500ms, 60s, 5m or 1h (more than 0, at most 24h), got '60 seconds'")]
    [InlineData("name: r1|pattern: x|category: NIC|severity: error|count: 3|within: 25h", 7, "rules[0].within", "expected a duration like 500ms, 60s, 5m or 1h (more than 0, at most 24h), got '25h'")]
    [InlineData("name: r1|pattern: x|category: NIC|severity: error|count: 0|within: 60s", 6, "rules[0].count", "expected a whole number from 1 to 1000, got '0'")]
    [InlineData("name: r1|pattern: x|category: NIC|severity: error|count: three|within: 60s", 6, "rules[0].count", "expected a whole number from 1 to 1000, got 'three'")]
    [InlineData("name: r1|pattern: x|category: NIC", 2, "rules[0].severity", "required: error, warning or clear")]
    [InlineData("name: r1|pattern:|category: NIC|severity: error", 3, "rules[0].pattern", "required: a .NET regular expression matched against the message")]
    [InlineData("pattern: x|category: NIC|severity: error", 2, "rules[0].name", "required: the rule's name")]
    [InlineData("name: r1|pattern: x|severity: error", 2, "rules[0].category", "required: the message category (NIC, FC, HA/SS, HA/AM, HA/RS, SPS, NODE or one the cluster adds)")]
    [InlineData("name: r1|pattern: '(?<dev>\\S+): down'|category: NIC|severity: error|keyword: '${keyword}'", 6, "rules[0].keyword", "'${keyword}' names no group of the pattern (groups: dev)")]
    [InlineData("name: r1|pattern: 'down'|category: NIC|severity: error|text: 'link ${dev} down'", 6, "rules[0].text", "'${dev}' names no group of the pattern (it has no named groups)")]
    [InlineData("name: r1|pattern: '(?<dev>\\S+): down'|category: NIC|severity: error|keyword: 'x${dev'", 6, "rules[0].keyword", "'${' at character 2 is not closed with '}'")]
    [InlineData("name: 'link down!'|pattern: x|category: NIC|severity: error", 2, "rules[0].name", "'link down!' is not a rule name: use letters, digits, '.', '_' and '-' (at most 100, starting with a letter or digit)")]
    [InlineData("name: r1|pattern: x|category: ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789|severity: error", 4, "rules[0].category", "a category is at most 32 bytes of text without control characters (this one is 36 bytes)")]
    [InlineData("name: r1|pattern: [a, b]|category: NIC|severity: error", 3, "rules[0].pattern", "expected text, got a list")]
    /// <param name="message">The whole message, or its start followed by '*'.</param>
    public void A_bad_rule_is_reported_at_its_line_and_field(string body, int line, string field, string message)
    {
        var set = RuleSet.Parse(File, OneRule(body));

        var error = Assert.Single(set.Errors);
        var expected = message.TrimEnd('*');
        var got = message.EndsWith('*') && error.Message.Length > expected.Length ? error.Message[..expected.Length] : error.Message;
        Assert.Equal((File, line, field, expected), (error.File, error.Line, error.Field, got));
        Assert.Empty(set.Rules);
        Assert.False(set.Ok);
    }

    [Fact]
    public void An_error_reads_as_file_line_column_field_message()
    {
        var error = Assert.Single(RuleSet.Parse(File, OneRule("name: r1|pattern: x|category: NIC|severity: fatal")).Errors);
        Assert.Equal("site.yaml:5:15: rules[0].severity: unknown severity 'fatal' (expected error, warning or clear)", error.ToString());
    }

    [Theory]
    [InlineData("", 1, "(file)", "the file is empty; expected a mapping with a 'rules' list")]
    [InlineData("# only a comment\n", 1, "(file)", "the file is empty; expected a mapping with a 'rules' list")]
    [InlineData("- name: r1\n", 1, "(file)", "expected a mapping with a 'rules' list, got a list")]
    [InlineData("rules: abc\n", 1, "rules", "expected a list of rules, got 'abc'")]
    [InlineData("rules:\n  - just text\n", 2, "rules[0]", "expected a rule (a mapping with name, pattern, category and severity), got 'just text'")]
    [InlineData("rules: []\nextra: 1\n", 2, "extra", "unknown key (a rule file has only 'rules')")]
    [InlineData("rules: []\n---\nrules: []\n", 3, "(file)", "a rule file holds one YAML document; this is a second one")]
    public void A_bad_file_shape_is_reported_at_its_line(string yaml, int line, string field, string message)
    {
        var error = Assert.Single(RuleSet.Parse(File, yaml).Errors);
        Assert.Equal((File, line, field, message), (error.File, error.Line, error.Field, error.Message));
    }

    [Fact]
    public void Text_that_is_not_YAML_is_reported_where_the_parser_stopped()
    {
        var error = Assert.Single(RuleSet.Parse(File, "rules:\n  - name: r1\n    pattern: 'unclosed\n").Errors);
        Assert.Equal((File, "(file)"), (error.File, error.Field));
        Assert.StartsWith("invalid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.Line, 3, 4);
    }

    [Fact]
    public void A_key_written_twice_is_an_error_not_an_exception()
    {
        var set = RuleSet.Parse(File, OneRule("name: r1|pattern: x|category: NIC|severity: error|severity: clear"));
        var error = Assert.Single(set.Errors);
        Assert.Equal((File, 6), (error.File, error.Line));
        Assert.Contains("uplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_misspelt_top_key_is_reported_and_the_missing_list_too()
    {
        var errors = RuleSet.Parse(File, "rule:\n  - name: r1\n").Errors;
        Assert.Equal(["site.yaml:1:1: rule: unknown key (a rule file has only 'rules')", "site.yaml:1:1: rules: required: the list of rules"], errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Every_problem_of_a_rule_is_reported_and_good_rules_beside_it_are_kept()
    {
        const string yaml = """
            rules:
              - name: good
                pattern: 'NIC Link is Down'
                category: NIC
                severity: error
              - name: bad
                pattern: '(unclosed'
                category: NIC
                severity: fatal
                count: 2
            """;
        var set = RuleSet.Parse(File, yaml);

        Assert.Equal(["good"], set.Rules.Select(r => r.Name));
        Assert.Equal([(7, "rules[1].pattern"), (9, "rules[1].severity"), (10, "rules[1].count")], set.Errors.Select(e => (e.Line, e.Field)));
    }

    [Fact]
    public void A_rule_name_is_unique_across_files_and_the_error_names_both_places()
    {
        var rule = OneRule("name: link-down|pattern: x|category: NIC|severity: error");
        var set = RuleSet.Parse([new RuleFileText("a.yaml", rule), new RuleFileText("b.yaml", "# b\n" + rule)]);

        var error = Assert.Single(set.Errors);
        Assert.Equal("b.yaml:3:11: rules[0].name: another rule is already named 'link-down' (a.yaml:2)", error.ToString());
        Assert.Equal(["a.yaml"], set.Rules.Select(r => r.File));
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_an_error_of_that_file()
    {
        var missing = Path.Combine(AppContext.BaseDirectory, "no-such-rules.yaml");
        var error = Assert.Single(RuleSet.LoadFiles([missing]).Errors);
        Assert.Equal((missing, "(file)"), (error.File, error.Field));
        Assert.StartsWith("cannot read the file: ", error.Message, StringComparison.Ordinal);

        var directory = Path.Combine(AppContext.BaseDirectory, "no-such-directory");
        Assert.Equal(directory, Assert.Single(RuleSet.LoadDirectory(directory).Errors).File);
    }

    [Fact]
    public void A_good_rule_keeps_every_field_it_was_given()
    {
        var set = RuleSet.Parse(File, OneRule("name: io|pattern: 'I/O error, dev (?<dev>\\w+)'|category: HA/SS|severity: warning|keyword: 'disk-${dev}'|text: 'I/O errors on ${dev}'|count: 3|within: 90s"));

        var rule = Assert.Single(set.Rules);
        Assert.True(set.Ok);
        Assert.Equal(("io", "HA/SS", Palisade.Core.Messages.NoticeSeverity.Warning, "disk-${dev}", "I/O errors on ${dev}", 3, TimeSpan.FromSeconds(90), File, 2),
            (rule.Name, rule.Category, rule.Severity, rule.Keyword, rule.Text, rule.Count, rule.Within, rule.File, rule.Line));
        Assert.True(rule.IsCounted);
    }
}
