using System.Globalization;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>
/// Powers a node off and on through its BMC with <c>ipmitool</c> over RMCP+ (lanplus). The password reaches
/// ipmitool only through the IPMI_PASSWORD environment variable (<c>-E</c>), never on a command line.
/// A switch counts as done only when a status read confirms it.
/// </summary>
internal sealed class IpmiShutdownAgent : IShutdownAgent, IPowerSwitch, INmiSwitch
{
    /// <summary>One ipmitool call may take this long at most; an unreachable BMC otherwise costs ~20 s per call.</summary>
    private static readonly TimeSpan CallTimeoutCap = TimeSpan.FromSeconds(5);

    /// <summary>Even with the deadline nearly spent, give a last call a chance to answer.</summary>
    private static readonly TimeSpan CallTimeoutFloor = TimeSpan.FromMilliseconds(200);

    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(1);

    private readonly ShutdownAgentConfig _config;
    private readonly AgentParameters _parameters;
    private readonly IpmiSettings _settings;
    private readonly string _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    private IpmiShutdownAgent(ShutdownAgentConfig config, AgentParameters parameters, ShutdownTarget target, ILogger logger, TimeProvider time)
    {
        _config = config;
        _parameters = parameters;
        _settings = IpmiSettings.From(parameters);
        _target = target.Name;
        _logger = logger;
        _time = time;
    }

    public string Type => _config.Type;

    public static IShutdownAgent Create(AgentParameters parameters, ShutdownAgentConfig config, ShutdownTarget target, ShutdownAgentServices services) =>
        new IpmiShutdownAgent(config, parameters, target, services.Loggers.CreateLogger("Palisade.Agents.Ipmi"), services.Time);

    public Task<AgentResult> InitAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        (Session? session, string problem) = Prepare();
        return Task.FromResult(session is null
            ? NotConfigured(problem, started)
            : new AgentResult(AgentOutcome.Success, null, $"{Prefix}: ipmitool found, password readable", "", _time.GetElapsedTime(started)));
    }

    /// <summary>Reads the chassis power state: the BMC answers with these credentials, and nothing is switched.</summary>
    public async Task<AgentResult> TestAsync(CancellationToken ct) => (await PowerStatusAsync(ct).ConfigureAwait(false)).Result;

    public Task<AgentResult> KillAsync(CancellationToken ct) => PowerKill.RunAsync(SwitchAsync, _settings.Method, ct);

    public Task<AgentResult> PowerOnAsync(CancellationToken ct) => SwitchAsync(PowerState.On, ct);

    /// <summary>chassis power diag: the BMC pulses the diagnostic interrupt; accepted is all it can say.</summary>
    public async Task<AgentResult> NmiAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        Log.PowerOperationStarting(_logger, _target, "diagnostic interrupt", Type, _settings.Endpoint, _config.Timeout.TotalMilliseconds);
        (Session? session, string problem) = Prepare();
        if (session is null)
        {
            return NotConfigured(problem, started);
        }

        ProcessResult command = await IpmitoolAsync(session, ["chassis", "power", "diag"], _config.Timeout, ct).ConfigureAwait(false);
        AgentResult result = command.ExitCode is 0 && !command.TimedOut
            ? Finish(AgentOutcome.Success, $"{Prefix}: diagnostic interrupt sent", command, session, started)
            : Finish(command.TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed, $"{Prefix}: {Failure("chassis power diag", command)}", command, session, started);
        Log.PowerOperationFinished(_logger, _target, "diagnostic interrupt", result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    public async Task<(AgentResult Result, PowerState State)> PowerStatusAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        Log.PowerOperationStarting(_logger, _target, "power status", Type, _settings.Endpoint, _config.Timeout.TotalMilliseconds);
        (Session? session, string problem) = Prepare();
        if (session is null)
        {
            return (NotConfigured(problem, started), PowerState.Unknown);
        }

        Status status = await QueryAsync(session, _config.Timeout, ct).ConfigureAwait(false);
        AgentResult result = status.State == PowerState.Unknown
            ? Finish(status.Run.TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed, $"{Prefix}: {status.Problem}", status.Run, session, started)
            : Finish(AgentOutcome.Success, $"{Prefix}: power is {Word(status.State)}", status.Run, session, started);
        Log.PowerOperationFinished(_logger, _target, "power status", result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return (result, status.State);
    }

    /// <summary>Starts every reason: which node, through which BMC.</summary>
    private string Prefix => $"{_target} via ipmi {_settings.Endpoint}";

    private async Task<AgentResult> SwitchAsync(PowerState wanted, CancellationToken ct)
    {
        string operation = $"power {Word(wanted)}";
        long started = _time.GetTimestamp();
        Log.PowerOperationStarting(_logger, _target, operation, Type, _settings.Endpoint, _config.Timeout.TotalMilliseconds);
        (Session? session, string problem) = Prepare();
        AgentResult result = session is null
            ? NotConfigured(problem, started)
            : await SwitchCoreAsync(wanted, session, started, ct).ConfigureAwait(false);
        Log.PowerOperationFinished(_logger, _target, operation, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private async Task<AgentResult> SwitchCoreAsync(PowerState wanted, Session session, long started, CancellationToken ct)
    {
        string word = Word(wanted);
        TimeSpan Remaining() => _config.Timeout - _time.GetElapsedTime(started);

        ProcessResult command = await IpmitoolAsync(session, ["chassis", "power", word], Remaining(), ct).ConfigureAwait(false);
        if (command.ExitCode is not 0 && !command.TimedOut)
        {
            // Some BMCs refuse to switch a chassis that is already in the wanted state; only a status read can tell.
            Status check = await QueryAsync(session, Remaining(), ct).ConfigureAwait(false);
            return check.State == wanted
                ? Finish(AgentOutcome.Success, $"{Prefix}: already {word}", check.Run, session, started)
                : Finish(AgentOutcome.Failed, $"{Prefix}: {Failure($"chassis power {word}", command)}", command, session, started);
        }

        // A timed-out command may still have reached the BMC: keep reading the status until the deadline.
        string lastProblem = command.TimedOut ? Failure($"chassis power {word}", command) : "";
        ProcessResult last = command;
        TimeSpan delay = FirstPollDelay;
        while (Remaining() > TimeSpan.Zero)
        {
            Status status = await QueryAsync(session, Remaining(), ct).ConfigureAwait(false);
            last = status.Run;
            if (status.State == wanted)
            {
                string elapsed = AgentText.Span(_time.GetElapsedTime(started));
                return Finish(AgentOutcome.Success, $"{Prefix}: confirmed {word} after {elapsed}", last, session, started);
            }

            Log.PowerPolled(_logger, _target, status.State, wanted);
            lastProblem = status.State == PowerState.Unknown ? status.Problem : $"power is still {Word(status.State)}";
            TimeSpan wait = delay < Remaining() ? delay : Remaining();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }

            delay = delay * 2 < MaxPollDelay ? delay * 2 : MaxPollDelay;
        }

        string reason = AgentText.WithDetail($"{Prefix}: {word} not confirmed within {AgentText.Span(_config.Timeout)}", lastProblem);
        return Finish(AgentOutcome.TimedOut, reason, last, session, started);
    }

    private async Task<Status> QueryAsync(Session session, TimeSpan remaining, CancellationToken ct)
    {
        ProcessResult run = await IpmitoolAsync(session, ["chassis", "power", "status"], remaining, ct).ConfigureAwait(false);
        if (run.ExitCode == 0)
        {
            // ipmitool prints "Chassis Power is on" / "Chassis Power is off".
            if (run.StandardOutput.Contains("Power is off", StringComparison.OrdinalIgnoreCase))
            {
                return new Status(PowerState.Off, run, "");
            }

            if (run.StandardOutput.Contains("Power is on", StringComparison.OrdinalIgnoreCase))
            {
                return new Status(PowerState.On, run, "");
            }

            return new Status(PowerState.Unknown, run, AgentText.WithDetail("chassis power status gave no power state", AgentText.FirstLine(run)));
        }

        return new Status(PowerState.Unknown, run, Failure("chassis power status", run));
    }

    private async Task<ProcessResult> IpmitoolAsync(Session session, string[] command, TimeSpan remaining, CancellationToken ct)
    {
        TimeSpan timeout = remaining < CallTimeoutCap ? remaining : CallTimeoutCap;
        timeout = timeout > CallTimeoutFloor ? timeout : CallTimeoutFloor;
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["IPMI_PASSWORD"] = session.Password };
        var spec = new ProcessSpec(session.Ipmitool, [.. _settings.SessionArguments, .. command], environment, null, timeout);
        ProcessResult run = await ProcessRunner.RunAsync(spec, ct).ConfigureAwait(false);
        Log.IpmiCommandFinished(_logger, _target, string.Join(' ', command), run.ExitCode, run.TimedOut, run.Duration.TotalMilliseconds);
        return run;
    }

    /// <summary>Everything a call needs that can be missing at run time: the tool and the password.</summary>
    private (Session? Session, string Problem) Prepare()
    {
        string? ipmitool = ExecutableLookup.Find("ipmitool");
        if (ipmitool is null)
        {
            return (null, "ipmitool is not installed (not found in PATH)");
        }

        (string? password, string? problem) = _parameters.ReadSecret();
        return password is null ? (null, problem ?? "no password") : (new Session(ipmitool, password), "");
    }

    private AgentResult NotConfigured(string problem, long started)
    {
        Log.ShutdownAgentNotConfigured(_logger, _target, Type, problem);
        return new(AgentOutcome.NotConfigured, null, $"{Prefix}: {problem}", "", _time.GetElapsedTime(started));
    }

    private AgentResult Finish(AgentOutcome outcome, string reason, ProcessResult run, Session session, long started) =>
        new(outcome, run.ExitCode, session.Redactor.Scrub(reason), AgentText.Excerpt(run, session.Redactor), _time.GetElapsedTime(started));

    /// <summary>What went wrong with one ipmitool call, without the prefix.</summary>
    private static string Failure(string command, ProcessResult run) =>
        run.TimedOut
            ? $"ipmitool {command} timed out after {AgentText.Span(run.Duration)}"
            : AgentText.WithDetail(
                $"ipmitool {command} exited {run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "without a code"}",
                AgentText.FirstLine(run));

    private static string Word(PowerState state) => state switch
    {
        PowerState.On => "on",
        PowerState.Off => "off",
        _ => "unknown",
    };

    /// <summary>A class, not a record: a generated ToString would print the password.</summary>
    private sealed class Session(string ipmitool, string password)
    {
        public string Ipmitool { get; } = ipmitool;

        public string Password { get; } = password;

        public Redactor Redactor { get; } = new([password]);
    }

    private sealed record Status(PowerState State, ProcessResult Run, string Problem);
}
