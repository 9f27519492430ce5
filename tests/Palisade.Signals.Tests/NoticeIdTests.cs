using Xunit;

namespace Palisade.Signals.Tests;

/// <summary>Ids: the same line read again is the same message; anything else is another one.</summary>
public sealed class NoticeIdTests
{
    private static readonly RuleSet Shipped = ShippedRules.Load();

    private static string Id(string text, string node = "n1", LogRuleMatcher? matcher = null) =>
        Assert.Single((matcher ?? new LogRuleMatcher(Shipped)).Match(Recorded.Line(text), Recorded.T0, node)).Id;

    [Theory]
    [InlineData("6,1021,384605483,-;e1000e 0000:00:19.0 eth0: NIC Link is Down")]
    [InlineData("[  336.603619] e1000e 0000:00:19.0 eth0: NIC Link is Down")]
    [InlineData("Dec  4 10:00:00 node1 kernel: e1000e 0000:00:19.0 eth0: NIC Link is Down")]
    public void The_same_line_read_again_gets_the_same_id_even_by_another_matcher_at_another_time(string text)
    {
        var matcher = new LogRuleMatcher(Shipped);
        var first = Id(text, matcher: matcher);
        var again = Assert.Single(matcher.Match(Recorded.Line(text), Recorded.T0.AddHours(1), "n1")).Id;

        Assert.Equal(first, again);
        Assert.Equal(first, Id(text));
        Assert.Matches("^klog-[0-9a-f]{32}$", first);
    }

    [Fact]
    public void The_id_of_a_kmsg_record_depends_on_its_sequence_and_time_stamp_not_on_its_flags()
    {
        var id = Id("6,1021,384605483,-;e1000e 0000:00:19.0 eth0: NIC Link is Down");
        Assert.Equal(id, Id("6,1021,384605483,c;e1000e 0000:00:19.0 eth0: NIC Link is Down\n SUBSYSTEM=net"));
        Assert.NotEqual(id, Id("6,1022,384605483,-;e1000e 0000:00:19.0 eth0: NIC Link is Down"));
        Assert.NotEqual(id, Id("6,1021,9384605483,-;e1000e 0000:00:19.0 eth0: NIC Link is Down"));
    }

    [Fact]
    public void Another_node_another_time_stamp_or_another_rule_gives_another_id()
    {
        const string line = "[  336.603619] e1000e 0000:00:19.0 eth0: NIC Link is Down";
        var id = Id(line);

        Assert.NotEqual(id, Id(line, node: "n2"));
        Assert.NotEqual(id, Id("[  336.603620] e1000e 0000:00:19.0 eth0: NIC Link is Down"));
        Assert.NotEqual(id, Id("[  336.603619] e1000e 0000:00:19.0 eth0: NIC Link is Up 1000 Mbps Full Duplex, Flow Control: Rx/Tx"));

        const string twoRules = "rules:\n  - {name: a, pattern: 'Down', category: NIC, severity: error}\n  - {name: b, pattern: 'Down', category: NIC, severity: error}\n";
        var ids = new LogRuleMatcher(Rules.Parse(twoRules)).Match(Recorded.Line(line), Recorded.T0, "n1").Select(n => n.Id).ToList();
        Assert.Equal(2, ids.Distinct().Count());
    }
}
