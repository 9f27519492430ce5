namespace Palisade.Agents;

/// <summary>What every call of the fence-agent runner does before and after running the agent.</summary>
internal sealed partial class FenceAgentShutdownAgent
{
    private TimeSpan Remaining(long started) => _config.Timeout - _time.GetElapsedTime(started);

    private async Task<ProcessResult> RunAsync(Session session, string action, TimeSpan remaining, CancellationToken ct)
    {
        ProcessResult run = await FenceAgentProcess.RunWithStdinAsync(session.Path, session.Options.Stdin(action, session.Password), remaining, ct)
            .ConfigureAwait(false);
        FenceAgentLog.ActionFinished(_logger, _target, _agentName, action, run.ExitCode, run.TimedOut, run.Duration.TotalMilliseconds);
        return run;
    }

    /// <summary>
    /// Everything a call needs that can go wrong locally: the agent file, its metadata, the options, the password
    /// file. Runs before every call, since the daemon builds a fresh agent for each kill without an Init.
    /// </summary>
    private async Task<(Session? Session, AgentResult? Failure)> PrepareAsync(long started, CancellationToken ct)
    {
        (string? path, string problem) = FenceAgentLocator.Find(_agent);
        if (path is null)
        {
            return (null, NotConfigured(problem, started));
        }

        MetadataLoad load = await FenceAgentMetadataCache.GetAsync(path, Remaining(started), _logger, _time, ct).ConfigureAwait(false);
        if (load.Metadata is null)
        {
            if (load.TimedOut)
            {
                var timedOut = new AgentResult(AgentOutcome.TimedOut, null, $"{Prefix}: {load.Problem}", "", _time.GetElapsedTime(started));
                FenceAgentLog.NotConfigured(_logger, _target, _agentName, timedOut.Reason);
                return (null, timedOut);
            }

            return (null, NotConfigured($"cannot read its metadata: {load.Problem}", started));
        }

        (FenceAgentOptions? options, IReadOnlyList<string> problems) = FenceAgentOptions.Check(_agentName, load.Metadata, _parameters, _target);
        if (options is null)
        {
            return (null, NotConfigured(string.Join("; ", problems), started));
        }

        // Read at every call, so that a rotated password is picked up without a restart. An inline password is
        // one of the pass-through options instead.
        string? password = null;
        if (_parameters.Has("password_file"))
        {
            (password, string? passwordProblem) = _parameters.ReadSecret();
            if (password is null)
            {
                return (null, NotConfigured(passwordProblem ?? "no password", started));
            }
        }

        return (new Session(path, load.Metadata, options, password), null);
    }

    private AgentResult NotConfigured(string problem, long started)
    {
        string reason = $"{Prefix}: {problem}";
        FenceAgentLog.NotConfigured(_logger, _target, _agentName, reason);
        return new(AgentOutcome.NotConfigured, null, reason, "", _time.GetElapsedTime(started));
    }

    private AgentResult Finish(AgentOutcome outcome, string reason, ProcessResult run, Session session, long started) =>
        new(outcome, run.ExitCode, session.Redactor.Scrub(reason), AgentText.Excerpt(run, session.Redactor), _time.GetElapsedTime(started));

    /// <summary>A class, not a record: a generated ToString would print the password.</summary>
    private sealed class Session(string path, FenceAgentMetadata metadata, FenceAgentOptions options, string? password)
    {
        public string Path { get; } = path;

        public FenceAgentMetadata Metadata { get; } = metadata;

        public FenceAgentOptions Options { get; } = options;

        /// <summary>From password_file; an inline password is one of the options.</summary>
        public string? Password { get; } = password;

        public Redactor Redactor { get; } = password is null ? options.Redactor : options.Redactor.With(password);
    }
}
