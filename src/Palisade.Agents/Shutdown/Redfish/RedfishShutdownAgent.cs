using System.Text.Json;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>
/// Powers a node off and on through its BMC's Redfish service over HTTPS: POST ComputerSystem.Reset, then read the
/// system's PowerState until it shows the wanted state. Any 2xx answer to the reset counts as accepted (200, 202
/// with a task monitor, 204); only PowerState confirms. Serves both <c>redfish</c> and <c>irmc</c> (whose declared
/// default system is iRMC's /redfish/v1/Systems/0).
/// </summary>
internal sealed class RedfishShutdownAgent : IShutdownAgent, IPowerSwitch, INmiSwitch
{
    private const string SystemsPath = "/redfish/v1/Systems";

    private static readonly TimeSpan FirstPollDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(1);

    private readonly ShutdownAgentConfig _config;
    private readonly AgentParameters _parameters;
    private readonly RedfishSettings _settings;
    private readonly ShutdownAgentServices _services;
    private readonly string _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>The only member of /redfish/v1/Systems once discovered; a BMC does not grow systems while running.</summary>
    private string? _discoveredSystem;

    private RedfishShutdownAgent(ShutdownAgentConfig config, AgentParameters parameters, ShutdownTarget target, ShutdownAgentServices services)
    {
        _config = config;
        _parameters = parameters;
        _settings = RedfishSettings.From(parameters);
        _services = services;
        _target = target.Name;
        _logger = services.Loggers.CreateLogger("Palisade.Agents.Redfish");
        _time = services.Time;
    }

    public string Type => _config.Type;

    /// <summary>Starts every reason: which node, through which BMC.</summary>
    private string Prefix => $"{_target} via {Type} {_settings.Endpoint}";

    public static IShutdownAgent Create(AgentParameters parameters, ShutdownAgentConfig config, ShutdownTarget target, ShutdownAgentServices services) =>
        new RedfishShutdownAgent(config, parameters, target, services);

    public Task<AgentResult> InitAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        (RedfishSession? session, string problem, string tls) = Prepare();
        using (session)
        {
            return Task.FromResult(session is null
                ? NotConfigured(problem, started)
                : new AgentResult(AgentOutcome.Success, null, $"{Prefix}: password readable, {tls}", "", _time.GetElapsedTime(started)));
        }
    }

    /// <summary>Reads the system's PowerState: the service answers with these credentials, and nothing is switched.</summary>
    public async Task<AgentResult> TestAsync(CancellationToken ct) => (await PowerStatusAsync(ct).ConfigureAwait(false)).Result;

    public Task<AgentResult> KillAsync(CancellationToken ct) => PowerKill.RunAsync(SwitchAsync, _settings.Method, ct);

    public Task<AgentResult> PowerOnAsync(CancellationToken ct) => SwitchAsync(PowerState.On, ct);

    /// <summary>ComputerSystem.Reset with ResetType Nmi, when the system offers it; a 2xx answer means accepted.</summary>
    public async Task<AgentResult> NmiAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        Log.PowerOperationStarting(_logger, _target, "diagnostic interrupt", Type, _settings.Endpoint, _config.Timeout.TotalMilliseconds);
        (RedfishSession? session, string problem, _) = Prepare();
        AgentResult result;
        if (session is null)
        {
            result = NotConfigured(problem, started);
        }
        else
        {
            using (session)
            {
                Reading reading = await ReadAsync(session, Remaining(started), ct).ConfigureAwait(false);
                if (reading.System is not { } system)
                {
                    result = Finish(reading.Outcome, reading.Problem, reading.Excerpt, started);
                }
                else if (system.Refuses("Nmi"))
                {
                    result = Finish(AgentOutcome.Failed, $"{system.ResetTarget} does not offer ResetType Nmi (allowed: {string.Join(", ", system.AllowedResetTypes)})", "", started);
                }
                else
                {
                    RedfishReply reset = await session.PostAsync(system.ResetTarget, "{\"ResetType\":\"Nmi\"}", Remaining(started), ct).ConfigureAwait(false);
                    result = reset.Succeeded
                        ? Finish(AgentOutcome.Success, "diagnostic interrupt (Nmi) accepted", "", started)
                        : Finish(reset.TimedOut ? AgentOutcome.TimedOut : AgentOutcome.Failed, reset.Problem, reset.Excerpt, started);
                }
            }
        }

        Log.PowerOperationFinished(_logger, _target, "diagnostic interrupt", result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    public async Task<(AgentResult Result, PowerState State)> PowerStatusAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        Log.PowerOperationStarting(_logger, _target, "power status", Type, _settings.Endpoint, _config.Timeout.TotalMilliseconds);
        (RedfishSession? session, string problem, _) = Prepare();
        if (session is null)
        {
            return (NotConfigured(problem, started), PowerState.Unknown);
        }

        using (session)
        {
            Reading reading = await ReadAsync(session, Remaining(started), ct).ConfigureAwait(false);
            AgentResult result = reading.System is { } system
                ? Finish(AgentOutcome.Success, $"power is {Word(system)}", "", started)
                : Finish(reading.Outcome, reading.Problem, reading.Excerpt, started);
            Log.PowerOperationFinished(_logger, _target, "power status", result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
            return (result, reading.System?.State ?? PowerState.Unknown);
        }
    }

    private async Task<AgentResult> SwitchAsync(PowerState wanted, CancellationToken ct)
    {
        string operation = $"power {Word(wanted)}";
        long started = _time.GetTimestamp();
        Log.PowerOperationStarting(_logger, _target, operation, Type, _settings.Endpoint, _config.Timeout.TotalMilliseconds);
        (RedfishSession? session, string problem, _) = Prepare();
        AgentResult result;
        if (session is null)
        {
            result = NotConfigured(problem, started);
        }
        else
        {
            using (session)
            {
                result = await SwitchCoreAsync(wanted, session, started, ct).ConfigureAwait(false);
            }
        }

        Log.PowerOperationFinished(_logger, _target, operation, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private async Task<AgentResult> SwitchCoreAsync(PowerState wanted, RedfishSession session, long started, CancellationToken ct)
    {
        string word = Word(wanted);
        string resetType = wanted == PowerState.Off ? "ForceOff" : "On";
        Reading before = await ReadAsync(session, Remaining(started), ct).ConfigureAwait(false);
        if (before.System is not { } system)
        {
            return Finish(before.Outcome, before.Problem, before.Excerpt, started);
        }

        if (system.State == wanted)
        {
            return Finish(AgentOutcome.Success, $"already {word}", "", started);
        }

        // Falling back to another reset type (a graceful Off) could leave the node running: refuse instead.
        if (system.Refuses(resetType))
        {
            return Finish(
                AgentOutcome.Failed,
                $"{system.ResetTarget} does not offer ResetType {resetType} (allowed: {string.Join(", ", system.AllowedResetTypes)})",
                "",
                started);
        }

        RedfishReply reset = await session.PostAsync(system.ResetTarget, $"{{\"ResetType\":\"{resetType}\"}}", Remaining(started), ct).ConfigureAwait(false);
        string lastProblem = "";
        if (!reset.Succeeded)
        {
            if (!reset.TimedOut)
            {
                // Some services refuse a reset into the state the system reached in the meantime; only a read can tell.
                Reading check = reset.Status is null ? before : await ReadAsync(session, Remaining(started), ct).ConfigureAwait(false);
                return check.System?.State == wanted
                    ? Finish(AgentOutcome.Success, $"already {word}", "", started)
                    : Finish(AgentOutcome.Failed, reset.Problem, reset.Excerpt, started);
            }

            // A reset that timed out may still have reached the BMC: keep reading the state until the deadline.
            lastProblem = reset.Problem;
        }

        TimeSpan delay = FirstPollDelay;
        string excerpt = reset.Excerpt;
        while (Remaining(started) > TimeSpan.Zero)
        {
            Reading reading = await ReadAsync(session, Remaining(started), ct).ConfigureAwait(false);
            if (reading.System?.State == wanted)
            {
                return Finish(AgentOutcome.Success, $"confirmed {word} after {AgentText.Span(_time.GetElapsedTime(started))}", "", started);
            }

            Log.PowerPolled(_logger, _target, reading.System?.State ?? PowerState.Unknown, wanted);

            // A read cut short by the deadline says less than the state read before it.
            if (reading.System is { } now)
            {
                lastProblem = $"power is still {Word(now)}";
                excerpt = "";
            }
            else if (reading.Outcome != AgentOutcome.TimedOut || lastProblem.Length == 0)
            {
                lastProblem = reading.Problem;
                excerpt = reading.Excerpt;
            }

            TimeSpan wait = delay < Remaining(started) ? delay : Remaining(started);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            }

            delay = delay * 2 < MaxPollDelay ? delay * 2 : MaxPollDelay;
        }

        return Finish(AgentOutcome.TimedOut, AgentText.WithDetail($"{word} not confirmed within {AgentText.Span(_config.Timeout)}", lastProblem), excerpt, started);
    }

    /// <summary>The system's current state, or why it could not be read.</summary>
    private async Task<Reading> ReadAsync(RedfishSession session, TimeSpan remaining, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        (string? path, Reading? failure) = await SystemPathAsync(session, remaining, ct).ConfigureAwait(false);
        if (path is null)
        {
            return failure!;
        }

        RedfishReply reply = await session.GetAsync(path, remaining - _time.GetElapsedTime(started), ct).ConfigureAwait(false);
        if (!reply.Succeeded || reply.Problem.Length > 0)
        {
            return Reading.Failure(reply);
        }

        RedfishSystem system = RedfishSystem.From(reply.Body, path);
        return system.PowerState is null
            ? new Reading(null, $"GET {path} gave no PowerState", AgentOutcome.Failed, reply.Excerpt)
            : new Reading(system, "", AgentOutcome.Success, "");
    }

    /// <summary>The configured system, else the only member of the service's Systems collection.</summary>
    private async Task<(string? Path, Reading? Failure)> SystemPathAsync(RedfishSession session, TimeSpan remaining, CancellationToken ct)
    {
        if ((_settings.System ?? _discoveredSystem) is { } known)
        {
            return (known, null);
        }

        RedfishReply reply = await session.GetAsync(SystemsPath, remaining, ct).ConfigureAwait(false);
        if (!reply.Succeeded || reply.Problem.Length > 0)
        {
            return (null, Reading.Failure(reply));
        }

        string[] members = reply.Body.TryGetProperty("Members", out JsonElement list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("@odata.id", out JsonElement id) ? id.GetString() : null)
                .OfType<string>().Select(RedfishSettings.NormalizePath)]
            : [];
        if (members.Length == 1)
        {
            _discoveredSystem = members[0];
            return (members[0], null);
        }

        string problem = members.Length == 0
            ? $"{SystemsPath} lists no system; set 'system' to the node's ComputerSystem"
            : $"{SystemsPath} lists {members.Length} systems ({string.Join(", ", members)}); set 'system' to the one of {_target}";
        return (null, new Reading(null, problem, AgentOutcome.Failed, reply.Excerpt));
    }

    /// <summary>Everything a call needs that can be missing at run time: the password and the authority file.</summary>
    private (RedfishSession? Session, string Problem, string Tls) Prepare()
    {
        (string? password, string? problem) = _parameters.ReadSecret();
        if (password is null)
        {
            return (null, problem ?? "no password", "");
        }

        (RedfishCertificatePolicy? policy, string policyProblem) = RedfishCertificatePolicy.Load(_settings);
        if (policy is null)
        {
            return (null, policyProblem, "");
        }

        if (!_settings.VerifyTls && _services.FirstNotice($"redfish-tls-off {_settings.Endpoint}"))
        {
            Log.RedfishTlsUnverified(_logger, _target, _settings.Endpoint);
        }

        return (new RedfishSession(_settings, password, policy, _target, _logger, _time), "", policy.Description);
    }

    private TimeSpan Remaining(long started) => _config.Timeout - _time.GetElapsedTime(started);

    private AgentResult NotConfigured(string problem, long started)
    {
        Log.ShutdownAgentNotConfigured(_logger, _target, Type, problem);
        return new(AgentOutcome.NotConfigured, null, $"{Prefix}: {problem}", "", _time.GetElapsedTime(started));
    }

    /// <summary>Problems come from the session, which has already scrubbed the password from them.</summary>
    private AgentResult Finish(AgentOutcome outcome, string detail, string excerpt, long started) =>
        new(outcome, null, $"{Prefix}: {detail}", excerpt, _time.GetElapsedTime(started));

    private static string Word(PowerState state) => state == PowerState.On ? "on" : state == PowerState.Off ? "off" : "unknown";

    /// <summary>"on" and "off" as the other agents say them; a transitional state by its Redfish name.</summary>
    private static string Word(RedfishSystem system) => system.State == PowerState.Unknown ? system.PowerState! : Word(system.State);

    /// <param name="System">Set when the read worked and gave a PowerState.</param>
    private sealed record Reading(RedfishSystem? System, string Problem, AgentOutcome Outcome, string Excerpt)
    {
        public static Reading Failure(RedfishReply reply) => new(null, reply.Problem, reply.FailureOutcome, reply.Excerpt);
    }
}
