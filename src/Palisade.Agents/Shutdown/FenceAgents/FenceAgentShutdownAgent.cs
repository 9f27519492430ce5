using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>
/// Runs a ClusterLabs fence agent (fence_ipmilan, fence_aws, fence_virt, ...) for the <c>fence-agent</c> type and
/// its presets. The agent gets no command-line options: everything, password included, goes as key=value lines on
/// its stdin. Options are checked against the agent's own metadata before anything is sent. Exit codes follow the
/// fence-agents convention: 0 success (status: on), 2 status off, anything else an error.
/// </summary>
internal sealed partial class FenceAgentShutdownAgent : IShutdownAgent, IPowerSwitch
{
    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(1);

    private readonly ShutdownAgentConfig _config;
    private readonly AgentParameters _parameters;
    private readonly string _agent;
    private readonly string _agentName;
    private readonly string _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    private FenceAgentShutdownAgent(ShutdownAgentConfig config, AgentParameters parameters, string agent, ShutdownTarget target, ILogger logger, TimeProvider time)
    {
        _config = config;
        _parameters = parameters;
        _agent = agent;
        _agentName = Path.GetFileName(agent);
        _target = target.Name;
        _logger = logger;
        _time = time;
    }

    public string Type => _config.Type;

    /// <summary>Presets name their agent in the catalog; the generic type takes it from the <c>agent</c> parameter.</summary>
    public static IShutdownAgent Create(AgentParameters parameters, ShutdownAgentConfig config, ShutdownTarget target, ShutdownAgentServices services) =>
        new FenceAgentShutdownAgent(
            config,
            parameters,
            parameters.Spec.FenceAgent ?? parameters.Required("agent").Trim(),
            target,
            services.Loggers.CreateLogger("Palisade.Agents.FenceAgent"),
            services.Time);

    /// <summary>Starts every reason: which node, through which agent.</summary>
    private string Prefix => $"{_target} via {_agentName}";

    /// <summary>The agent is installed and runnable, its metadata reads, the options fit it, the password file reads.</summary>
    public async Task<AgentResult> InitAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        (Session? session, AgentResult? failure) = await PrepareAsync(started, ct).ConfigureAwait(false);
        if (session is null)
        {
            return failure!;
        }

        string plug = session.Options.Plug is { } p ? $", plug '{p}'" : "";
        string password = session.Password is null ? "" : ", password_file readable";
        return new AgentResult(
            AgentOutcome.Success,
            null,
            session.Redactor.Scrub($"{Prefix}: {session.Path} found, metadata read, options valid{plug}{password}"),
            "",
            _time.GetElapsedTime(started));
    }

    /// <summary>
    /// The agent's monitor action (its status action when it has none): Success when the BMC, hypervisor or cloud
    /// API answered. Before it, the plug must be in the agent's list (when it has one), and the list must work.
    /// Nothing is switched.
    /// </summary>
    public async Task<AgentResult> TestAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        FenceAgentLog.OperationStarting(_logger, _target, "test", _agentName, _config.Timeout.TotalMilliseconds);
        (Session? session, AgentResult? failure) = await PrepareAsync(started, ct).ConfigureAwait(false);
        AgentResult result = session is null
            ? failure!
            : await WithPlugCheckAsync(session, "test", listMustWork: true, started, () => TestCoreAsync(session, started, ct), ct).ConfigureAwait(false);
        FenceAgentLog.OperationFinished(_logger, _target, "test", _agentName, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    /// <summary>
    /// action off: the agent's off, then its status until it reports off (exit 2). action reboot: the agent's reboot,
    /// whose success the agent itself has confirmed (it switches off, checks, switches on). Either way, first the
    /// plug must be in the agent's list (when it has one); a list that fails does not stop the kill, since an agent
    /// that cannot list may still fence, but the reason says the plug went unchecked.
    /// </summary>
    public Task<AgentResult> KillAsync(CancellationToken ct) =>
        string.Equals(_parameters.Required("action"), "reboot", StringComparison.OrdinalIgnoreCase)
            ? RebootAsync(ct)
            : SwitchAsync(PowerState.Off, checkPlug: true, ct);

    public Task<AgentResult> PowerOnAsync(CancellationToken ct) => SwitchAsync(PowerState.On, checkPlug: false, ct);

    public async Task<(AgentResult Result, PowerState State)> PowerStatusAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        FenceAgentLog.OperationStarting(_logger, _target, "power status", _agentName, _config.Timeout.TotalMilliseconds);
        (Session? session, AgentResult? failure) = await PrepareAsync(started, ct).ConfigureAwait(false);
        if (session is null)
        {
            return (failure!, PowerState.Unknown);
        }

        if (!session.Metadata.Actions.Contains("status"))
        {
            return (NotConfigured($"{_agentName} has no status action", started), PowerState.Unknown);
        }

        ProcessResult run = await RunAsync(session, "status", Remaining(started), ct).ConfigureAwait(false);
        (PowerState state, string problem) = FenceAgentExit.Status(run);
        AgentResult result = state == PowerState.Unknown
            ? Finish(run.TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed, $"{Prefix}: {problem}", run, session, started)
            : Finish(AgentOutcome.Success, $"{Prefix}: power is {FenceAgentExit.Word(state)}", run, session, started);
        FenceAgentLog.OperationFinished(_logger, _target, "power status", _agentName, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return (result, state);
    }

    private async Task<AgentResult> TestCoreAsync(Session session, long started, CancellationToken ct)
    {
        string? action = session.Metadata.Actions.Contains("monitor") ? "monitor"
            : session.Metadata.Actions.Contains("status") ? "status"
            : null;
        if (action is null)
        {
            return NotConfigured($"{_agentName} has neither a monitor nor a status action", started);
        }

        ProcessResult run = await RunAsync(session, action, Remaining(started), ct).ConfigureAwait(false);
        string elapsed = AgentText.Span(_time.GetElapsedTime(started));
        PowerState state = action == "status" ? FenceAgentExit.Status(run).State : PowerState.Unknown;
        if (action == "monitor" && run is { TimedOut: false, ExitCode: 0 })
        {
            return Finish(AgentOutcome.Success, $"{Prefix}: monitor succeeded in {elapsed}", run, session, started);
        }

        // Off or on, the fencing path answered; that is all a test asks.
        return state != PowerState.Unknown
            ? Finish(AgentOutcome.Success, $"{Prefix}: status answered in {elapsed}: power is {FenceAgentExit.Word(state)}", run, session, started)
            : Finish(run.TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed, $"{Prefix}: {FenceAgentExit.Failure(action, run)}", run, session, started);
    }

    private async Task<AgentResult> RebootAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        FenceAgentLog.OperationStarting(_logger, _target, "reboot", _agentName, _config.Timeout.TotalMilliseconds);
        (Session? session, AgentResult? failure) = await PrepareAsync(started, ct).ConfigureAwait(false);
        AgentResult result;
        if (session is null)
        {
            result = failure!;
        }
        else
        {
            result = await WithPlugCheckAsync(session, "reboot", listMustWork: false, started, () => RebootCoreAsync(session, started, ct), ct)
                .ConfigureAwait(false);
        }

        FenceAgentLog.OperationFinished(_logger, _target, "reboot", _agentName, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private async Task<AgentResult> RebootCoreAsync(Session session, long started, CancellationToken ct)
    {
        ProcessResult run = await RunAsync(session, "reboot", Remaining(started), ct).ConfigureAwait(false);
        return run.ExitCode == 0
            ? Finish(AgentOutcome.Success, $"{Prefix}: reboot confirmed by the agent after {AgentText.Span(_time.GetElapsedTime(started))}", run, session, started)
            : Finish(run.TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed, $"{Prefix}: {FenceAgentExit.Failure("reboot", run)}", run, session, started);
    }

    /// <param name="checkPlug">A kill checks the plug against the agent's list first; powering on needs no such care.</param>
    private async Task<AgentResult> SwitchAsync(PowerState wanted, bool checkPlug, CancellationToken ct)
    {
        string word = FenceAgentExit.Word(wanted);
        string operation = $"power {word}";
        long started = _time.GetTimestamp();
        FenceAgentLog.OperationStarting(_logger, _target, operation, _agentName, _config.Timeout.TotalMilliseconds);
        (Session? session, AgentResult? failure) = await PrepareAsync(started, ct).ConfigureAwait(false);
        AgentResult result = session is null
            ? failure!
            : !session.Metadata.Actions.Contains(word)
                ? NotConfigured($"{_agentName} has no {word} action", started)
                : !session.Metadata.Actions.Contains("status")
                    ? NotConfigured($"{_agentName} has no status action, so it cannot confirm power {word}", started)
                    : checkPlug
                        ? await WithPlugCheckAsync(session, operation, listMustWork: false, started, () => SwitchCoreAsync(session, wanted, started, ct), ct)
                            .ConfigureAwait(false)
                        : await SwitchCoreAsync(session, wanted, started, ct).ConfigureAwait(false);
        FenceAgentLog.OperationFinished(_logger, _target, operation, _agentName, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private async Task<AgentResult> SwitchCoreAsync(Session session, PowerState wanted, long started, CancellationToken ct)
    {
        string word = FenceAgentExit.Word(wanted);
        ProcessResult command = await RunAsync(session, word, Remaining(started), ct).ConfigureAwait(false);
        if (command.ExitCode != 0)
        {
            AgentOutcome outcome = command.TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed;
            return Finish(outcome, $"{Prefix}: {FenceAgentExit.Failure(word, command)}", command, session, started);
        }

        // The agent says done; only its status read counts as confirmation.
        ProcessResult last = command;
        string lastProblem = "";
        TimeSpan delay = FirstPollDelay;
        while (Remaining(started) > TimeSpan.Zero)
        {
            last = await RunAsync(session, "status", Remaining(started), ct).ConfigureAwait(false);
            (PowerState state, string problem) = FenceAgentExit.Status(last);
            if (state == wanted)
            {
                string elapsed = AgentText.Span(_time.GetElapsedTime(started));
                return Finish(AgentOutcome.Success, $"{Prefix}: confirmed {word} after {elapsed}", last, session, started);
            }

            FenceAgentLog.PowerPolled(_logger, _target, _agentName, state, wanted);
            lastProblem = state == PowerState.Unknown ? problem : $"power is still {FenceAgentExit.Word(state)}";
            TimeSpan wait = delay < Remaining(started) ? delay : Remaining(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }

            delay = delay * 2 < MaxPollDelay ? delay * 2 : MaxPollDelay;
        }

        string reason = AgentText.WithDetail($"{Prefix}: {word} not confirmed within {AgentText.Span(_config.Timeout)}", lastProblem);
        return Finish(AgentOutcome.TimedOut, reason, last, session, started);
    }
}
