using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

internal enum ResourceAction
{
    Start,
    Stop,
    Monitor,
}

/// <summary>
/// A resource driven by three shell commands. Exit 0 is success; for monitor 7 (OCF) or 3 (LSB) means cleanly
/// stopped, anything else or a timeout is a failure. Stop succeeds only on 0: an arbitrary script's other codes are
/// never read as "stopped", since a wrongly assumed stop could let a second node start the resource. Without a
/// monitor command the resource is running exactly when palisaded started it since the node booted and has not
/// stopped it (<see cref="StartMarkers"/>).
/// </summary>
internal sealed class ExecResourceAgent : IResourceAgent
{
    private const int NotRunningExit = 7;
    private const int LsbNotRunningExit = 3;

    private readonly ResourceConfig _resource;
    private readonly IReadOnlyDictionary<string, string> _baseEnvironment;
    private readonly Redactor _redactor;
    private readonly ILogger _logger;
    private readonly StartMarkers _markers;
    private readonly string _group;

    public ExecResourceAgent(ResourceConfig resource, string groupName, string localNodeName, StartMarkers markers, ILogger logger)
    {
        _resource = resource;
        _logger = logger;
        _markers = markers;
        _group = groupName;
        _redactor = Redactor.ForParameters(resource.Parameters);
        var environment = new Dictionary<string, string>(resource.Parameters, StringComparer.Ordinal)
        {
            ["PALISADE_RESOURCE"] = resource.Name,
            ["PALISADE_GROUP"] = groupName,
            ["PALISADE_NODE"] = localNodeName,
        };
        _baseEnvironment = environment;
    }

    public string Name => _resource.Name;

    private bool Marked => string.IsNullOrWhiteSpace(_resource.MonitorCommand);

    public async Task<AgentResult> StartAsync(CancellationToken ct)
    {
        // Recorded before the command runs: a palisaded killed half-way through must find it possibly running.
        if (Marked && !string.IsNullOrWhiteSpace(_resource.StartCommand) && _markers.Mark(_group, Name) is { } problem)
        {
            return new AgentResult(AgentOutcome.Failed, null, $"{Name} not started: {problem}", "", TimeSpan.Zero);
        }

        return await RunAsync(ResourceAction.Start, _resource.StartCommand, _resource.StartTimeout, ct).ConfigureAwait(false);
    }

    public async Task<AgentResult> StopAsync(CancellationToken ct)
    {
        AgentResult result = await RunAsync(ResourceAction.Stop, _resource.StopCommand, _resource.StopTimeout, ct).ConfigureAwait(false);
        if (Marked && result.Succeeded && _markers.Clear(_group, Name) is { } problem)
        {
            Log.StartMarkerKept(_logger, Name, problem);
        }

        return result;
    }

    public Task<AgentResult> MonitorAsync(CancellationToken ct) =>
        RunAsync(ResourceAction.Monitor, _resource.MonitorCommand, _resource.MonitorTimeout, ct);

    private async Task<AgentResult> RunAsync(ResourceAction action, string? command, TimeSpan timeout, CancellationToken ct)
    {
        string verb = ActionName(action);
        if (string.IsNullOrWhiteSpace(command))
        {
            return action != ResourceAction.Monitor ? NotConfigured($"{Name} has no {verb} command")
                : _markers.IsMarked(_group, Name)
                ? new AgentResult(AgentOutcome.Success, null, $"{Name} has no monitor command; palisaded started it since the node booted and has not stopped it", "", TimeSpan.Zero)
                : new AgentResult(AgentOutcome.NotRunning, null, $"{Name} has no monitor command; palisaded has not started it since the node booted", "", TimeSpan.Zero);
        }

        var environment = new Dictionary<string, string>(_baseEnvironment, StringComparer.Ordinal)
        {
            ["PALISADE_ACTION"] = verb,
        };
        Log.ResourceActionStarting(_logger, Name, verb, "exec");
        ProcessResult run = await ProcessRunner.RunAsync(
            new ProcessSpec("/bin/sh", ["-c", command], environment, null, timeout), ct).ConfigureAwait(false);
        AgentResult result = Interpret(action, verb, timeout, run);
        Log.ResourceActionFinished(_logger, Name, verb, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private AgentResult Interpret(ResourceAction action, string verb, TimeSpan timeout, ProcessResult run)
    {
        string excerpt = AgentText.Excerpt(run, _redactor);
        if (run.TimedOut)
        {
            return new AgentResult(AgentOutcome.TimedOut, null, $"{Name} {verb} timed out after {AgentText.Span(timeout)}", excerpt, run.Duration);
        }

        string detail = _redactor.Scrub(AgentText.FirstLine(run));
        (AgentOutcome outcome, string reason) = (action, run.ExitCode) switch
        {
            (_, null) => (AgentOutcome.Failed, AgentText.WithDetail($"{Name} {verb} did not run", detail)),
            (_, 0) => (AgentOutcome.Success, action == ResourceAction.Monitor ? $"{Name} is running" : $"{Name} {verb} succeeded"),
            (ResourceAction.Monitor, NotRunningExit or LsbNotRunningExit) => (AgentOutcome.NotRunning, $"{Name} is not running (monitor exited {run.ExitCode})"),
            (_, int code) => (AgentOutcome.Failed, AgentText.WithDetail($"{Name} {verb} exited {code}", detail)),
        };
        return new AgentResult(outcome, run.ExitCode, reason, excerpt, run.Duration);
    }

    private static AgentResult NotConfigured(string reason) =>
        new(AgentOutcome.NotConfigured, null, reason, "", TimeSpan.Zero);

    internal static string ActionName(ResourceAction action) => action switch
    {
        ResourceAction.Start => "start",
        ResourceAction.Stop => "stop",
        _ => "monitor",
    };
}
