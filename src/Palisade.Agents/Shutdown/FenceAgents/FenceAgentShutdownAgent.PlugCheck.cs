namespace Palisade.Agents;

/// <summary>
/// The plug checked against the agent's own list before a kill or a test. Some agents report a plug they do not
/// know as off (fence_virtd answers status for an unknown domain with exit 2), so without this check a mistyped
/// plug would "confirm" a kill while the real node runs on. Nothing is cached: plugs come and go.
/// </summary>
internal sealed partial class FenceAgentShutdownAgent
{
    /// <summary>
    /// Runs <paramref name="operation"/> once the plug has passed the check, else returns the refusal. When the
    /// list failed and <paramref name="listMustWork"/> is false, the operation still runs and its reason says so.
    /// </summary>
    private async Task<AgentResult> WithPlugCheckAsync(
        Session session, string operationName, bool listMustWork, long started, Func<Task<AgentResult>> operation, CancellationToken ct)
    {
        (AgentResult? refusal, string notChecked) = await CheckPlugAsync(session, operationName, listMustWork, started, ct).ConfigureAwait(false);
        if (refusal is not null)
        {
            return refusal;
        }

        AgentResult result = await operation().ConfigureAwait(false);
        return notChecked.Length == 0 ? result : result with { Reason = $"{result.Reason} (plug not checked: {notChecked})" };
    }

    /// <summary>
    /// Skipped when the agent has no list action or is sent no plug. Otherwise runs <c>action=list</c> with at
    /// most half the time left, so that a hanging list still leaves a kill the time to switch and confirm.
    /// </summary>
    /// <returns>A refusal (Failed, or TimedOut for a test whose list timed out), else why the plug went unchecked ("" when it was checked).</returns>
    private async Task<(AgentResult? Refusal, string NotChecked)> CheckPlugAsync(
        Session session, string operationName, bool listMustWork, long started, CancellationToken ct)
    {
        if (session.Options.PlugSent is not { } sent || !session.Metadata.Actions.Contains("list"))
        {
            return (null, "");
        }

        string[] plugs = SplitPlugs(session, sent);
        string named = session.Redactor.Scrub(Named(plugs));
        ProcessResult run = await RunAsync(session, "list", Remaining(started) / 2, ct).ConfigureAwait(false);
        if (ListProblem(run) is { } listProblem)
        {
            string problem = session.Redactor.Scrub(listProblem);
            if (listMustWork)
            {
                return (Finish(run.TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed, $"{Prefix}: cannot check {named}: {problem}", run, session, started), "");
            }

            FenceAgentLog.PlugListFailed(_logger, _target, _agentName, named, operationName, problem);
            return (null, problem);
        }

        // fence_virt and fence_xvm are the agents without fencing.py's separator option; they print columns.
        bool columns = !session.Metadata.Takes("separator");
        FenceAgentPlugList list = FenceAgentPlugList.Parse(run.StandardOutput, ListSeparator(session), columns);
        if (list.CannotList is { } printed)
        {
            FenceAgentLog.PlugListUnsupported(_logger, _target, _agentName, session.Redactor.Scrub(printed), named);
            return (null, "");
        }

        string[] missing = [.. plugs.Where(p => !list.Knows(p))];
        if (missing.Length == 0)
        {
            FenceAgentLog.PlugListed(_logger, _target, _agentName, list.Plugs.Length, named);
            return (null, "");
        }

        FenceAgentLog.PlugNotListed(_logger, _target, _agentName, session.Redactor.Scrub(Named(missing)), operationName);
        string verb = missing.Length == 1 ? "is" : "are";
        string reason = $"{Prefix}: {Named(missing)} {verb} not known to the agent (it {list.Describe(missing[0])})";
        return (Finish(AgentOutcome.Failed, reason, run, session, started), "");
    }

    /// <summary>Why the list run tells nothing: it failed, or printed more than is kept of a run's output.</summary>
    private static string? ListProblem(ProcessResult run) =>
        run.TimedOut || run.ExitCode != 0 ? FenceAgentExit.Failure("list", run)
        : BoundedCapture.WasCut(run.StandardOutput)
            ? $"list printed more than the {ProcessRunner.OutputLimitBytes / 1024} KiB kept of a run's output, so it cannot be searched "
                + "(narrow it with the agent's filter option, where it has one)"
            : null;

    /// <summary>fencing.py agents act on each part of a plug split at plug_separator (default ","), e.g. two outlets.</summary>
    private static string[] SplitPlugs(Session session, string sent)
    {
        if (!session.Metadata.Takes("plug_separator"))
        {
            return [sent];
        }

        string separator = session.Options.Value("plug_separator") is { Length: > 0 } s ? s : ",";
        return sent.Split(separator);
    }

    /// <summary>What fencing.py agents put between plug and alias: the operator's separator, else ",".</summary>
    private static string ListSeparator(Session session) =>
        session.Metadata.Takes("separator") && session.Options.Value("separator") is { Length: > 0 } s ? s : ",";

    /// <summary>"plug 'test'", "plugs '1', '2'".</summary>
    private static string Named(string[] plugs) =>
        plugs.Length == 1 ? $"plug '{AgentText.Clip(plugs[0])}'" : $"plugs {string.Join(", ", plugs.Select(p => $"'{AgentText.Clip(p)}'"))}";
}
