using Palisade.Core.Control;
using Palisade.Core.Messages;

namespace Palisade.Daemon;

/// <summary>The intake of messages from the node's hardware and management layer: checked, journaled, then published.</summary>
internal sealed partial class ClusterHost
{
    public const string JournalFile = "events.journal";

    /// <summary>Messages journaled this long ago or less may not have reached the cluster before a crash: sent again at start.</summary>
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    private readonly Lock _intakeGate = new();
    private NoticeIntake? _intake;
    private IStateDisk? _disk;
    private bool _replayed;

    /// <summary>The journal of accepted messages (its current file), once the node has its state directory.</summary>
    public string? JournalPath => _disk?.PathOf(JournalFile);

    /// <summary>The node's intake, shared by every channel (opened on first use: it reads the journal).</summary>
    public NoticeIntake Intake
    {
        get
        {
            lock (_intakeGate)
            {
                return _intake ??= new NoticeIntake(_disk!.PathOf(JournalFile), LocalNode, [.. _config.Nodes.Select(n => n.Name)],
                    () => _live.Current.AllCategories, Time, Send, _log, CheckDownReport);
            }
        }
    }

    /// <summary>
    /// <c>palisade notify</c> and agents on the control socket: a message that breaks a rule is refused with the reason
    /// and changes nothing; an accepted one is on disk before the answer, then goes on the ordered stream, where every
    /// node's external monitors see it. An id accepted before is acknowledged again and not applied twice.
    /// </summary>
    public async Task<ControlResponse> NotifyAsync(ExternalNotice? notice)
    {
        if (notice is null)
        {
            return Fail("notify needs a message (category, severity, source, id)");
        }

        var answer = await Intake.AcceptAsync(notice, "the control socket");
        return answer.Accepted ? new ControlResponse(true, answer.Text) : Fail(answer.Text);
    }

    /// <summary>
    /// <c>palisade notify --batch</c>: many messages in one request, each checked and answered as by <see cref="NotifyAsync"/>;
    /// the answer lists the refused ones (position, id, why) and counts the rest.
    /// </summary>
    public async Task<ControlResponse> NotifyBatchAsync(IReadOnlyList<ExternalNotice>? notices)
    {
        if (notices is null || notices.Count == 0)
        {
            return Fail("notify-batch needs a list of messages");
        }

        if (notices.Any(n => n is null))
        {
            return Fail("notify-batch: every entry must be a message");
        }

        var answers = await Intake.AcceptManyAsync(notices, "the control socket (batch)");
        var refused = answers.Select((a, i) => (a, i)).Where(x => !x.a.Accepted).Select(x => new RefusedNotice(x.i, notices[x.i].Id, x.a.Text)).ToList();
        return new ControlResponse(true, $"{answers.Count - refused.Count} accepted, {refused.Count} refused", Refused: refused);
    }

    /// <summary>
    /// A message says <paramref name="target"/> is down: its own agents are asked at once, read only, and the answer
    /// goes on the stream. A report about this very node is answered at once: it runs.
    /// </summary>
    public void CheckDownReport(string target, string report)
    {
        var instance = _replica.State?.Nodes.GetValueOrDefault(target)?.Instance ?? "";
        if (target == LocalNode)
        {
            Send(new NodeDownChecked(target, false, "none", $"{LocalNode} received the report itself: it runs (report: {report})", 0, instance) { From = LocalNode, At = Time.GetUtcNow() });
            return;
        }

        _ = _sd.CheckDownAsync(target, report, instance);
    }

    /// <summary><c>clprexec --script NAME</c>: a script of the node's request script directory, by name.</summary>
    public Task<ControlResponse> RunRequestScriptAsync(string? name) =>
        name is null ? Task.FromResult(Fail("script needs the name of a script")) : new Intake.RequestScripts(Options.RequestScripts, _commands).RunAsync(name);

    /// <summary>Held repeats whose window ended go on the stream (on every tick, once the intake is open).</summary>
    private void PublishDueRepeats()
    {
        NoticeIntake? intake;
        lock (_intakeGate)
        {
            intake = _intake;
        }

        intake?.PublishDue();
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
            var rotated = _disk.Read(Path.GetFileName(EventJournal.RotatedPath(JournalFile)));
            var current = _disk.Read(JournalFile);
            text = rotated is null && current is null ? null : rotated + current;
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

        // A line torn by a crash was never acknowledged: left out.
        var entries = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(EventJournal.ParseLine).OfType<JournalEntry>().ToList();

        var again = Intake.Republish(entries, state.RecentEvents.ToHashSet(StringComparer.Ordinal), Time.GetUtcNow() - ReplayWindow);
        if (again > 0)
        {
            Log.JournalReplayed(_log, again);
        }
    }
}
