using Palisade.Core.Control;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>The intake of messages from the node's hardware and management layer: checked, journaled, then published.</summary>
internal sealed partial class ClusterHost
{
    public const string JournalFile = "events.journal";

    private EventJournal? _journal;

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

        _journal ??= new EventJournal(Path.Combine(Options.StateDirectory, JournalFile), Time);
        var concerns = notice.Node ?? LocalNode;
        if (!await _journal.AppendAsync(notice, LocalNode))
        {
            return new ControlResponse(true, $"message {notice.Id} was accepted before: not applied again");
        }

        Send(new ExternalEvent(concerns, notice.Category, notice.Keyword, notice.Severity, notice.Text ?? "", notice.Source, notice.Id) { From = LocalNode, At = Time.GetUtcNow() });
        Log.NoticeAccepted(_log, notice.Id, notice.Severity.ToString().ToLowerInvariant(), notice.Keyword is null ? notice.Category : $"{notice.Category}.{notice.Keyword}", concerns, notice.Source);
        return new ControlResponse(true, $"message {notice.Id} accepted: journaled on {LocalNode} and published");
    }
}
