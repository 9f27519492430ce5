using Palisade.Daemon.Api;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>The changes behind the API's event stream: resumed from an id while kept, else the whole state again.</summary>
public sealed class EventFeedTests
{
    private static FeedEvent Change(long version) => new(version, DateTimeOffset.UnixEpoch, "GroupStarted", [$"change {version}"]);

    [Fact]
    public void A_client_resuming_from_a_kept_id_gets_the_changes_after_it_then_the_new_ones()
    {
        var feed = new EventFeed();
        feed.Restart(10);
        feed.Publish(Change(12));
        feed.Publish(Change(15));

        using var resumed = feed.Subscribe(12);
        feed.Publish(Change(16));

        Assert.Equal([15L], resumed.Replay!.Value.Select(e => e.Version));
        Assert.True(resumed.Live.TryRead(out var live));
        Assert.Equal(16, live.Version);
    }

    [Fact]
    public void A_client_without_an_id_or_with_one_from_before_this_node_took_the_state_needs_the_whole_state()
    {
        var feed = new EventFeed();
        feed.Restart(10);
        feed.Publish(Change(12));

        using var fresh = feed.Subscribe(null);
        using var older = feed.Subscribe(9);
        using var atTheStart = feed.Subscribe(10);

        Assert.Null(fresh.Replay);
        Assert.Null(older.Replay);
        Assert.Equal([12L], atTheStart.Replay!.Value.Select(e => e.Version));
    }

    [Fact]
    public void Once_changes_after_an_id_are_no_longer_kept_that_id_gets_the_whole_state()
    {
        var feed = new EventFeed();
        feed.Restart(0);
        for (var v = 1; v <= EventFeed.Kept + 1; v++)
        {
            feed.Publish(Change(v));
        }

        using var lost = feed.Subscribe(0);
        using var kept = feed.Subscribe(1);

        Assert.Null(lost.Replay);
        Assert.Equal(EventFeed.Kept, kept.Replay!.Value.Length);
    }

    [Fact]
    public void Taking_the_state_anew_ends_every_stream_and_a_subscriber_too_far_behind_is_dropped()
    {
        var feed = new EventFeed();
        feed.Restart(0);
        using var slow = feed.Subscribe(null);
        for (var v = 1; v <= EventFeed.SubscriberBuffer + 1; v++)
        {
            feed.Publish(Change(v));
        }

        Assert.True(slow.Live.Completion.IsCompleted || DrainToEnd(slow));

        using var open = feed.Subscribe(null);
        feed.Restart(100);
        Assert.True(DrainToEnd(open));
    }

    private static bool DrainToEnd(EventFeed.Subscription s)
    {
        while (s.Live.TryRead(out _))
        {
        }

        return s.Live.Completion.IsCompleted;
    }
}
