using Palisade.Core.Control;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>The intake of messages from the node's hardware and management layer: checked, journaled, then published.</summary>
internal sealed partial class ClusterHost
{
    public const string JournalFile = "events.journal";

    /// <summary>Messages journaled this long ago or less may not have reached the cluster before a crash: sent again at start.</summary>
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    private EventJournal? _journal;
    private IStateDisk? _disk;
    private bool _replayed;

    /// <summary>
    /// <c>palisade notify</c> and agents on the control socket: a message that breaks a rule is refused with the reason
    /// and changes nothing; an accepted one is on disk before the answer, then goes on the ordered stream, where every
    /// node's external monitors see it. An id accepted before is acknowledged again and not applied twice.
    /// </summary>
    private async Task<ControlResponse> NotifyAsync(ExternalNotice? notice)
    {
        if (notice is null)
        {
            return Fail("notify needs a message (category, severity, source, id)");
        }

        if (ExternalNoticeRules.Problem(notice, _config.AllCategories, [.. _config.Nodes.Select(n => n.Name)]) is { } problem)
        {
            Log.NoticeRefused(_log, notice.Source ?? "?", problem);
            return Fail($"message refused: {problem}");
        }

        _journal ??= new EventJournal(_disk!.PathOf(JournalFile), Time);
        var concerns = notice.Node ?? LocalNode;
        if (!await _journal.AppendAsync(notice, LocalNode))
        {
            return new ControlResponse(true, $"message {notice.Id} was accepted before: not applied again");
        }

        Send(new ExternalEvent(concerns, notice.Category, notice.Keyword, notice.Severity, notice.Text ?? "", notice.Source, notice.Id) { From = LocalNode, At = Time.GetUtcNow() });
        Log.NoticeAccepted(_log, notice.Id, notice.Severity.ToString().ToLowerInvariant(), notice.Keyword is null ? notice.Category : $"{notice.Category}.{notice.Keyword}", concerns, notice.Source);
        return new ControlResponse(true, $"message {notice.Id} accepted: journaled on {LocalNode} and published");
    }

    /// <summary>
    /// Once this node holds the state after it started: the messages it journaled in the last minutes that the state
    /// has not applied (a crash between the sync and the send) go on the stream again; the state drops any it did apply.
    /// </summary>
    private void RepublishJournal(Core.State.ClusterState state)
    {
        if (_replayed || _disk is null)
        {
            return;
        }

        _replayed = true;
        string? text;
        try
        {
            text = _disk.Read(JournalFile);
        }
        catch (IOException ex)
        {
            Log.JournalUnreadable(_log, _disk.PathOf(JournalFile), ex.Message);
            return;
        }

        if (text is null)
        {
            return;
        }

        var since = Time.GetUtcNow() - ReplayWindow;
        var applied = state.RecentEvents.ToHashSet(StringComparer.Ordinal);
        var again = 0;
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            JournalEntry? entry;
            try
            {
                entry = System.Text.Json.JsonSerializer.Deserialize<JournalEntry>(line, JournalEntry.Json);
            }
            catch (System.Text.Json.JsonException)
            {
                continue; // a line torn by a crash was never acknowledged
            }

            if (entry is null || entry.ReceivedBy != LocalNode || entry.Received < since || applied.Contains(entry.Notice.Id))
            {
                continue;
            }

            var n = entry.Notice;
            Send(new ExternalEvent(n.Node ?? LocalNode, n.Category, n.Keyword, n.Severity, n.Text ?? "", n.Source, n.Id) { From = LocalNode, At = Time.GetUtcNow() });
            again++;
        }

        if (again > 0)
        {
            Log.JournalReplayed(_log, again);
        }
    }
}
