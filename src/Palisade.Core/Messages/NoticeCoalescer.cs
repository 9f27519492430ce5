namespace Palisade.Core.Messages;

/// <summary>What the intake does with one accepted message: publish it now, or hold it as a repeat.</summary>
/// <param name="Repeats">Repeats held since the last publication for the same device, carried by this one.</param>
public readonly record struct CoalesceVerdict(bool Publish, int Repeats);

/// <summary>A held repeat that is due: the last of its run, with the repeats held before it.</summary>
public sealed record DueRepeat(ExternalNotice Notice, string Node, int Repeats);

/// <summary>
/// Storm control at a node's intake. Messages for the same (node, category, keyword) with the same severity as the
/// last one published are published at most once per window: the first always at once (so the first error of each
/// device is never held), the later ones are held and counted, and the last held one is published when the window
/// ends, carrying the count. A change of severity (error, then clear) is published at once. Every message is still
/// journaled; only the stream is spared. Pure and not thread-safe: the caller serialises calls.
/// </summary>
public sealed class NoticeCoalescer(TimeSpan window, int maxDevices = NoticeCoalescer.DefaultMaxDevices)
{
    public const int DefaultMaxDevices = 10_000;
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromSeconds(1);

    private readonly Dictionary<(string Node, string Category, string Keyword), Run> _runs = [];
    private readonly LinkedList<(string, string, string)> _byAge = new();

    /// <summary>Messages offered since start.</summary>
    public long Offered { get; private set; }

    /// <summary>Messages held as repeats since start (published only as a count).</summary>
    public long Coalesced { get; private set; }

    /// <summary>Devices currently tracked (bounded by <c>maxDevices</c>).</summary>
    public int Devices => _runs.Count;

    public CoalesceVerdict Offer(ExternalNotice notice, string node, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(notice);
        Offered++;
        var key = (node, notice.Category, notice.Keyword ?? "");
        if (_runs.TryGetValue(key, out var run))
        {
            if (run.Severity == notice.Severity && now - run.PublishedAt < window)
            {
                run.Held++;
                run.LastHeld = notice;
                Coalesced++;
                return new CoalesceVerdict(false, 0);
            }

            // A new window, or a new severity: held repeats of the old severity are superseded by this one.
            var repeats = run.Severity == notice.Severity ? run.Held : 0;
            run.Severity = notice.Severity;
            run.PublishedAt = now;
            run.Held = 0;
            run.LastHeld = null;
            _byAge.Remove(run.Age);
            _byAge.AddLast(run.Age);
            return new CoalesceVerdict(true, repeats);
        }

        if (_runs.Count >= maxDevices && !EvictIdle())
        {
            return new CoalesceVerdict(true, 0); // every tracked device holds repeats: publish rather than forget a count
        }

        var age = _byAge.AddLast(key);
        _runs[key] = new Run(notice.Severity, now, age);
        return new CoalesceVerdict(true, 0);
    }

    /// <summary>The held repeats whose window has ended: each is published now and its device starts a new window.</summary>
    public IReadOnlyList<DueRepeat> Due(DateTimeOffset now)
    {
        List<DueRepeat>? due = null;
        foreach (var (key, run) in _runs)
        {
            if (run.Held > 0 && run.LastHeld is { } last && now - run.PublishedAt >= window)
            {
                (due ??= []).Add(new DueRepeat(last, key.Node, run.Held - 1));
                run.PublishedAt = now;
                run.Held = 0;
                run.LastHeld = null;
            }
        }

        return due ?? (IReadOnlyList<DueRepeat>)[];
    }

    /// <summary>Forgets the oldest device that holds nothing; false when every device holds repeats.</summary>
    private bool EvictIdle()
    {
        for (var node = _byAge.First; node is not null; node = node.Next)
        {
            if (_runs[node.Value].Held == 0)
            {
                _runs.Remove(node.Value);
                _byAge.Remove(node);
                return true;
            }
        }

        return false;
    }

    private sealed class Run(NoticeSeverity severity, DateTimeOffset publishedAt, LinkedListNode<(string, string, string)> age)
    {
        public NoticeSeverity Severity { get; set; } = severity;

        public DateTimeOffset PublishedAt { get; set; } = publishedAt;

        public int Held { get; set; }

        public ExternalNotice? LastHeld { get; set; }

        public LinkedListNode<(string, string, string)> Age { get; } = age;
    }
}
