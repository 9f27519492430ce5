using Microsoft.Extensions.Logging;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>The answer to one message handed to the intake.</summary>
/// <param name="Accepted">False when the message broke a rule; <see cref="Text"/> says which.</param>
internal sealed record IntakeAnswer(bool Accepted, string Text);

/// <summary>
/// Where every channel (control socket, HTTPS) hands a message from the node's hardware or management layer. It is
/// checked, journaled and synced before it is acknowledged, then published on the cluster's ordered stream in the
/// order it was accepted; repeats for the same device are held and published as a count (<see cref="NoticeCoalescer"/>).
/// Thread-safe: channels call it from any thread.
/// </summary>
internal sealed class NoticeIntake : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly NoticeCoalescer _coalescer = new(NoticeCoalescer.DefaultWindow);
    private readonly Func<IReadOnlyCollection<string>> _categories;
    private readonly IReadOnlyCollection<string> _nodes;
    private readonly string _localNode;
    private readonly TimeProvider _time;
    private readonly Action<ExternalEvent> _publish;
    private readonly ILogger _log;
    private readonly EventJournal _journal;
    private readonly Action<string, string> _downReported;

    /// <param name="downReported">A message that a node is down was accepted: the node and the report, to check it.</param>
    public NoticeIntake(string journalPath, string localNode, IReadOnlyCollection<string> nodes, Func<IReadOnlyCollection<string>> categories,
        TimeProvider time, Action<ExternalEvent> publish, ILogger log, Action<string, string>? downReported = null)
    {
        _downReported = downReported ?? ((_, _) => { });
        _localNode = localNode;
        _nodes = nodes;
        _categories = categories;
        _time = time;
        _publish = publish;
        _log = log;
        _journal = new EventJournal(journalPath, time, OnDurable);
    }

    /// <summary>Checks, journals (synced) and schedules <paramref name="notice"/> for publication; <paramref name="via"/> names the channel.</summary>
    public async Task<IntakeAnswer> AcceptAsync(ExternalNotice notice, string via) => (await AcceptManyAsync([notice], via).ConfigureAwait(false))[0];

    /// <summary>
    /// Messages checked, then journaled in their order under one lock, so they share the journal's syncs and reach
    /// the stream in the order the coalescer saw them; the answers in the same order, once every accepted one is on
    /// disk.
    /// </summary>
    public async Task<IReadOnlyList<IntakeAnswer>> AcceptManyAsync(IReadOnlyList<ExternalNotice> notices, string via)
    {
        var answers = new IntakeAnswer[notices.Count];
        var entries = new List<JournalEntry>(notices.Count);
        var categories = _categories();
        Task durable;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            for (var i = 0; i < notices.Count; i++)
            {
                var notice = notices[i];
                if (ExternalNoticeRules.Problem(notice, categories, _nodes) is { } problem)
                {
                    Log.NoticeRefused(_log, $"{Printable(notice.Source)} via {via}", problem);
                    answers[i] = new IntakeAnswer(false, $"message refused: {problem}");
                }
                else if (!_journal.Reserve(notice.Id))
                {
                    answers[i] = new IntakeAnswer(true, $"message {notice.Id} was accepted before: not applied again");
                }
                else
                {
                    var verdict = _coalescer.Offer(notice, notice.Node ?? _localNode, now);
                    entries.Add(new JournalEntry(now, _localNode, notice) { Held = !verdict.Publish, Repeats = verdict.Repeats });
                    answers[i] = new IntakeAnswer(true, verdict.Publish
                        ? $"message {notice.Id} accepted: journaled on {_localNode} and published"
                        : $"message {notice.Id} accepted: journaled on {_localNode}; a repeat of {Device(notice)} within {NoticeCoalescer.DefaultWindow.TotalSeconds:0.#} s, published as a count");
                }
            }

            durable = _journal.WriteAsync(entries);
        }

        await durable.ConfigureAwait(false);
        foreach (var entry in entries)
        {
            if (IsDownReport(entry.Notice))
            {
                // Checked from here at once: while the node's loss stalls the ordered stream, the check already runs.
                var notice = entry.Notice;
                _downReported(notice.Node ?? _localNode, $"{notice.Keyword} reported by {notice.Source} (message {notice.Id})");
            }
        }

        return answers;
    }

    /// <summary>Publishes the held repeats whose window ended (called on the host's tick).</summary>
    public void PublishDue()
    {
        lock (_gate)
        {
            // Queued behind the held messages they stand for, so they go out once those are on disk, in order.
            foreach (var d in _coalescer.Due(_time.GetUtcNow()))
            {
                _journal.After(() =>
                {
                    Log.NoticeRepeats(_log, d.Repeats + 1, Device(d.Notice), d.Node, d.Notice.Id);
                    _publish(ToEvent(d.Notice, d.Node, d.Repeats));
                });
            }
        }
    }

    /// <summary>
    /// After a restart: the journaled messages of the last minutes that follow the last one the cluster applied go
    /// through the coalescer again (so a storm in the journal is not published message by message).
    /// </summary>
    public int Republish(IEnumerable<JournalEntry> entries, ISet<string> applied, DateTimeOffset since)
    {
        // This node published its messages in journal order and the stream keeps a sender's order: everything up to the
        // last one the cluster applied went out before the crash (the state remembers only the latest ids, so an older
        // id missing from it says nothing). Only what follows may not have.
        var own = entries.Where(e => e.ReceivedBy == _localNode).ToList();
        var lastApplied = own.FindLastIndex(e => applied.Contains(e.Notice.Id));
        var again = 0;
        foreach (var entry in own.Skip(lastApplied + 1))
        {
            if (entry.Received < since)
            {
                continue;
            }

            CoalesceVerdict verdict;
            var node = entry.Notice.Node ?? _localNode;
            lock (_gate)
            {
                verdict = _coalescer.Offer(entry.Notice, node, _time.GetUtcNow());
            }

            if (verdict.Publish)
            {
                _publish(ToEvent(entry.Notice, node, verdict.Repeats));
                again++;
            }
        }

        return again;
    }

    /// <summary>In journal order, once synced: the messages the coalescer let through go on the stream.</summary>
    private void OnDurable(JournalEntry entry)
    {
        if (entry.Held)
        {
            return;
        }

        var n = entry.Notice;
        var node = n.Node ?? _localNode;
        Log.NoticeAccepted(_log, n.Id, n.Severity.ToString().ToLowerInvariant(), Device(n), node, n.Source);
        _publish(ToEvent(n, node, entry.Repeats));
    }

    private ExternalEvent ToEvent(ExternalNotice n, string node, int repeats) =>
        new(node, n.Category, n.Keyword, n.Severity, n.Text ?? "", n.Source, n.Id) { From = _localNode, At = _time.GetUtcNow(), Repeats = repeats };

    private static bool IsDownReport(ExternalNotice n) =>
        n.Category == ExternalNoticeRules.NodeCategory && n.Severity == NoticeSeverity.Error
        && n.Keyword is { } keyword && ExternalNoticeRules.NodeDownKeywords.Contains(keyword);

    private static string Device(ExternalNotice n) => n.Keyword is null ? n.Category : $"{n.Category}.{n.Keyword}";

    private static string Printable(string? value) => value is null ? "?" : value.Length > 64 ? value[..64] + "..." : value;

    public ValueTask DisposeAsync() => _journal.DisposeAsync();
}
