using Palisade.Core.Messages;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>Storm control at the intake: the first message of a device always goes out, repeats are counted and go out once per window.</summary>
public sealed class NoticeCoalescerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private static ExternalNotice N(string id, string keyword = "eth1", NoticeSeverity severity = NoticeSeverity.Error, string category = "NIC") =>
        new(category, keyword, severity, "", "test", null, id);

    [Fact]
    public void The_first_error_of_each_device_is_published_and_repeats_in_the_window_are_held_and_counted()
    {
        var c = new NoticeCoalescer(Window);
        Assert.Equal(new CoalesceVerdict(true, 0), c.Offer(N("a1"), "n1", T0));
        Assert.Equal(new CoalesceVerdict(true, 0), c.Offer(N("b1", keyword: "eth2"), "n1", T0));
        Assert.Equal(new CoalesceVerdict(true, 0), c.Offer(N("a1-other-node"), "n2", T0));
        for (var i = 2; i <= 1000; i++)
        {
            Assert.False(c.Offer(N($"a{i}"), "n1", T0.AddMilliseconds(i / 2)).Publish);
        }

        Assert.Equal(999, c.Coalesced);
        Assert.Empty(c.Due(T0.AddMilliseconds(900)));
        var due = Assert.Single(c.Due(T0.AddSeconds(1)));
        Assert.Equal(("a1000", "n1", 998), (due.Notice.Id, due.Node, due.Repeats)); // a2..a999 before it
        Assert.Empty(c.Due(T0.AddSeconds(5))); // nothing held since
    }

    [Fact]
    public void A_change_of_severity_is_published_at_once_and_supersedes_the_held_repeats()
    {
        var c = new NoticeCoalescer(Window);
        Assert.True(c.Offer(N("e1"), "n1", T0).Publish);
        Assert.False(c.Offer(N("e2"), "n1", T0.AddMilliseconds(10)).Publish);
        Assert.Equal(new CoalesceVerdict(true, 0), c.Offer(N("c1", severity: NoticeSeverity.Clear), "n1", T0.AddMilliseconds(20)));
        Assert.True(c.Offer(N("e3"), "n1", T0.AddMilliseconds(30)).Publish); // an error after a clear is a new error
        Assert.Empty(c.Due(T0.AddSeconds(2)));
    }

    [Fact]
    public void After_the_window_the_next_repeat_is_published_with_the_count_it_stands_for()
    {
        var c = new NoticeCoalescer(Window);
        c.Offer(N("e1"), "n1", T0);
        c.Offer(N("e2"), "n1", T0.AddMilliseconds(100));
        c.Offer(N("e3"), "n1", T0.AddMilliseconds(200));
        Assert.Equal(new CoalesceVerdict(true, 2), c.Offer(N("e4"), "n1", T0.AddMilliseconds(1500)));
        Assert.Equal(new CoalesceVerdict(true, 0), c.Offer(N("e5"), "n1", T0.AddMilliseconds(2600)));
    }

    [Fact]
    public void Memory_is_bounded_by_forgetting_idle_devices_and_never_a_held_count()
    {
        var c = new NoticeCoalescer(Window, maxDevices: 3);
        c.Offer(N("x", keyword: "d1"), "n1", T0);
        c.Offer(N("x2", keyword: "d1"), "n1", T0); // d1 holds a repeat
        c.Offer(N("y", keyword: "d2"), "n1", T0);
        c.Offer(N("z", keyword: "d3"), "n1", T0);
        Assert.True(c.Offer(N("w", keyword: "d4"), "n1", T0).Publish); // d2, the oldest idle device, is forgotten
        Assert.Equal(3, c.Devices);
        Assert.True(c.Offer(N("y2", keyword: "d2"), "n1", T0).Publish); // forgotten: its next message counts as a first
        var due = Assert.Single(c.Due(T0.AddSeconds(1)));
        Assert.Equal(("x2", 0), (due.Notice.Id, due.Repeats));
    }
}
