using System.Collections.Immutable;
using System.Threading.Channels;

namespace Palisade.Daemon.Api;

/// <summary>
/// One change of the replicated state as this node applied it: the state version after it (the same on every node
/// that applied the same ordered messages), what kind of message made it and the state machine's notes.
/// </summary>
internal sealed record FeedEvent(long Version, DateTimeOffset At, string Kind, ImmutableArray<string> Notes);

/// <summary>
/// The state changes for <c>GET /api/v1/stream</c>: the last <see cref="Kept"/> are kept for clients that resume
/// (<c>Last-Event-ID</c>), and every subscriber gets the new ones. A subscriber that falls
/// <see cref="SubscriberBuffer"/> events behind is dropped (its stream ends; it resumes from its last id). Thread-safe.
/// </summary>
internal sealed class EventFeed
{
    public const int Kept = 4096;
    public const int SubscriberBuffer = 1024;
    private readonly Lock _gate = new();
    private readonly Queue<FeedEvent> _recent = new();
    private readonly List<Channel<FeedEvent>> _subscribers = [];

    // Every change after this version is kept (or was never made); null until this node holds the state.
    private long? _complete;

    /// <summary>
    /// This node took the state at <paramref name="version"/> (it joined, or adopted another member's state): the
    /// changes before it were not seen here. Connected streams end, so their clients come back for the whole state.
    /// </summary>
    public void Restart(long version)
    {
        lock (_gate)
        {
            _complete = version;
            _recent.Clear();
            _subscribers.ForEach(s => s.Writer.TryComplete());
            _subscribers.Clear();
        }
    }

    public void Publish(FeedEvent e)
    {
        lock (_gate)
        {
            if (_complete is null)
            {
                return;
            }

            _recent.Enqueue(e);
            if (_recent.Count > Kept)
            {
                _complete = _recent.Dequeue().Version;
            }

            foreach (var subscriber in _subscribers.ToList())
            {
                if (!subscriber.Writer.TryWrite(e))
                {
                    subscriber.Writer.TryComplete();
                    _subscribers.Remove(subscriber);
                }
            }
        }
    }

    /// <summary>
    /// A new subscription. <see cref="Subscription.Replay"/> holds the kept events after <paramref name="after"/>; it
    /// is null when there is no id or the events after it are no longer all kept (the client needs the whole state).
    /// </summary>
    public Subscription Subscribe(long? after)
    {
        var channel = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(SubscriberBuffer) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        lock (_gate)
        {
            _subscribers.Add(channel);
            ImmutableArray<FeedEvent>? replay = after is { } id && After(id) is { All: true } kept ? [.. kept.Changes] : null;
            return new Subscription(this, channel, replay);
        }
    }

    /// <summary>
    /// The kept changes after <paramref name="after"/>, oldest first, at most <paramref name="limit"/> (the newest
    /// ones); <c>Complete</c> is false when changes after that id were made but are no longer kept here.
    /// </summary>
    public (IReadOnlyList<FeedEvent> Changes, bool Complete) Since(long after, int limit)
    {
        lock (_gate)
        {
            var (kept, all) = After(after);
            return (kept.Count > limit ? kept[^limit..] : kept, all && kept.Count <= limit);
        }
    }

    /// <summary>The kept changes after a version, and whether they are all the changes made since (under the lock).</summary>
    private (List<FeedEvent> Changes, bool All) After(long version) =>
        ([.. _recent.Where(e => e.Version > version)], _complete is { } complete && version >= complete);

    private void Unsubscribe(Channel<FeedEvent> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
        }
    }

    public sealed class Subscription(EventFeed feed, Channel<FeedEvent> channel, ImmutableArray<FeedEvent>? replay) : IDisposable
    {
        public ImmutableArray<FeedEvent>? Replay { get; } = replay;

        public ChannelReader<FeedEvent> Live => channel.Reader;

        public void Dispose() => feed.Unsubscribe(channel);
    }
}
