using Palisade.Core.Messages;
using Xunit;

namespace Palisade.Signals.Tests;

/// <summary>Counted rules: a message only on the count-th match for one keyword within the window, in bounded memory.</summary>
public sealed class CountedRuleTests
{
    private static readonly DateTimeOffset T0 = Recorded.T0;

    private static LogRuleMatcher Matcher(int maxWindows = LogRuleMatcher.DefaultMaxWindows) => new(Rules.Parse(Rules.Counted), maxWindows);

    private static int Hit(LogRuleMatcher matcher, string device, long sequence, double seconds) =>
        matcher.Match(Rules.IoError(device, sequence), T0.AddSeconds(seconds), "n1").Count;

    [Fact]
    public void Two_matches_make_nothing_and_the_third_within_the_window_makes_one_error()
    {
        var matcher = Matcher();
        Assert.Equal(0, Hit(matcher, "sdb", 1, 0));
        Assert.Equal(0, Hit(matcher, "sdb", 2, 20));

        var notice = Assert.Single(matcher.Match(Rules.IoError("sdb", 3), T0.AddSeconds(40), "n1"));
        Assert.Equal(("HA/SS", "sdb", NoticeSeverity.Error), (notice.Category, notice.Keyword, notice.Severity));
        Assert.Equal("blk_update_request: I/O error, dev sdb, sector 24 (3 times within 60s)", notice.Text);
    }

    [Fact]
    public void Matches_further_apart_than_the_window_do_not_add_up()
    {
        var matcher = Matcher();
        Assert.Equal(0, Hit(matcher, "sdb", 1, 0));
        Assert.Equal(0, Hit(matcher, "sdb", 2, 30));
        Assert.Equal(0, Hit(matcher, "sdb", 3, 91));   // the two before are more than 60 s old: one in the window
        Assert.Equal(0, Hit(matcher, "sdb", 4, 160));  // 91 is 69 s old: one again
        Assert.Equal(0, Hit(matcher, "sdb", 5, 170));
        Assert.Equal(1, Hit(matcher, "sdb", 6, 180));  // 160, 170 and 180
    }

    [Fact]
    public void Matches_exactly_the_window_apart_still_count()
    {
        var matcher = Matcher();
        Assert.Equal(0, Hit(matcher, "sdb", 1, 0));
        Assert.Equal(0, Hit(matcher, "sdb", 2, 59));
        Assert.Equal(1, Hit(matcher, "sdb", 3, 60));
    }

    [Fact]
    public void After_a_message_the_count_starts_again()
    {
        var matcher = Matcher();
        Assert.Equal([0, 0, 1, 0, 0, 1], Enumerable.Range(1, 6).Select(i => Hit(matcher, "sdb", i, i)));
    }

    [Fact]
    public void Each_keyword_is_counted_on_its_own()
    {
        var matcher = Matcher();
        Assert.Equal(0, Hit(matcher, "sdb", 1, 0));
        Assert.Equal(0, Hit(matcher, "sdc", 2, 1));
        Assert.Equal(0, Hit(matcher, "sdb", 3, 2));
        Assert.Equal(0, Hit(matcher, "sdc", 4, 3));
        var notice = Assert.Single(matcher.Match(Rules.IoError("sdc", 5), T0.AddSeconds(4), "n1"));
        Assert.Equal("sdc", notice.Keyword);
        Assert.Equal(2, matcher.RememberedWindows);
    }

    [Fact]
    public void A_kmsg_record_read_again_is_not_counted_twice()
    {
        var matcher = Matcher();
        Assert.Equal(0, Hit(matcher, "sdb", 1, 0));
        Assert.Equal(0, Hit(matcher, "sdb", 2, 1));
        Assert.Equal(0, Hit(matcher, "sdb", 2, 2));
        Assert.Equal(0, Hit(matcher, "sdb", 1, 3));
        Assert.Equal(1, Hit(matcher, "sdb", 3, 4));
    }

    [Fact]
    public void At_most_the_given_number_of_windows_is_kept_and_the_least_recently_touched_is_dropped()
    {
        var matcher = Matcher(maxWindows: 2);
        Assert.Equal(0, Hit(matcher, "sdb", 1, 0));
        Assert.Equal(0, Hit(matcher, "sdb", 2, 1));
        Assert.Equal(0, Hit(matcher, "sdc", 3, 2));
        Assert.Equal(0, Hit(matcher, "sdc", 4, 3));
        Assert.Equal(0, Hit(matcher, "sdd", 5, 4));    // drops sdb's window
        Assert.Equal(2, matcher.RememberedWindows);

        Assert.Equal(0, Hit(matcher, "sdb", 6, 5));    // sdb starts again at one (and drops sdc's window)
        Assert.Equal(0, Hit(matcher, "sdd", 7, 6));
        Assert.Equal(1, Hit(matcher, "sdd", 8, 7));
        Assert.Equal(2, matcher.RememberedWindows);
    }

    [Fact]
    public void Many_devices_never_grow_memory_past_the_bound()
    {
        var matcher = Matcher(maxWindows: 100);
        for (var i = 0; i < 10_000; i++)
        {
            Hit(matcher, $"sd{i}", i, i * 0.001);
        }

        Assert.Equal(100, matcher.RememberedWindows);
    }

    [Fact]
    public void Lines_of_rules_without_a_count_leave_no_window()
    {
        var matcher = new LogRuleMatcher(ShippedRules.Load());
        matcher.Match(Recorded.Line("[  336.603619] e1000e 0000:00:19.0 eth0: NIC Link is Down"), T0, "n1");
        Assert.Equal(0, matcher.RememberedWindows);
    }
}
