using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>
/// A resource driven by an OCF resource agent script (<c>provider:type</c> under <c>$OCF_ROOT/resource.d</c>).
/// Parameters become <c>OCF_RESKEY_*</c>; the action timeout is passed as <c>OCF_RESKEY_CRM_meta_timeout</c>.
/// </summary>
public sealed partial class OcfResourceAgent : IResourceAgent
{
    public const string DefaultOcfRoot = "/usr/lib/ocf";

    private static readonly TimeSpan MetaDataTimeout = TimeSpan.FromSeconds(10);

    private readonly ResourceConfig _resource;
    private readonly string _localNodeName;
    private readonly string _ocfRoot;
    private readonly string? _configurationProblem;
    private readonly Redactor _redactor;
    private readonly ILogger _logger;

    internal OcfResourceAgent(ResourceConfig resource, string localNodeName, string ocfRoot, ILogger logger)
    {
        _resource = resource;
        _localNodeName = localNodeName;
        _ocfRoot = ocfRoot;
        _logger = logger;
        _redactor = Redactor.ForParameters(resource.Parameters);
        (Provider, Type, _configurationProblem) = ParseAgent(resource);
        AgentPath = _configurationProblem is null ? Path.Combine(ocfRoot, "resource.d", Provider, Type) : "";
    }

    public string Name => _resource.Name;

    /// <summary>The OCF provider, e.g. <c>heartbeat</c>; empty when the agent name is malformed.</summary>
    public string Provider { get; }

    /// <summary>The OCF agent type, e.g. <c>IPaddr2</c>; empty when the agent name is malformed.</summary>
    public string Type { get; }

    /// <summary>The script that will run; empty when the agent name is malformed.</summary>
    public string AgentPath { get; }

    public Task<AgentResult> StartAsync(CancellationToken ct) => RunAsync(ResourceAction.Start, _resource.StartTimeout, ct);

    public Task<AgentResult> StopAsync(CancellationToken ct) => RunAsync(ResourceAction.Stop, _resource.StopTimeout, ct);

    public Task<AgentResult> MonitorAsync(CancellationToken ct) => RunAsync(ResourceAction.Monitor, _resource.MonitorTimeout, ct);

    /// <summary>The agent's <c>meta-data</c> XML.</summary>
    /// <exception cref="InvalidOperationException">The agent is missing or its meta-data action failed.</exception>
    public async Task<string> MetaDataAsync(CancellationToken ct = default)
    {
        if (FindProblem() is { } problem)
        {
            throw new InvalidOperationException(problem);
        }

        ProcessResult run = await ProcessRunner.RunAsync(BuildSpec("meta-data", MetaDataTimeout), ct).ConfigureAwait(false);
        if (run.ExitCode != OcfExitCodes.Success)
        {
            throw new InvalidOperationException(Describe("meta-data", MetaDataTimeout, run));
        }

        return run.StandardOutput;
    }

    private async Task<AgentResult> RunAsync(ResourceAction action, TimeSpan timeout, CancellationToken ct)
    {
        string verb = ExecResourceAgent.ActionName(action);
        if (FindProblem() is { } problem)
        {
            Log.ResourceNotConfigured(_logger, Name, verb, problem);
            return new AgentResult(AgentOutcome.NotConfigured, null, problem, "", TimeSpan.Zero);
        }

        Log.ResourceActionStarting(_logger, Name, verb, $"ocf:{Provider}:{Type}");
        ProcessResult run = await ProcessRunner.RunAsync(BuildSpec(verb, timeout), ct).ConfigureAwait(false);
        var result = new AgentResult(Classify(action, run), run.ExitCode, Describe(verb, timeout, run), AgentText.Excerpt(run, _redactor), run.Duration);
        Log.ResourceActionFinished(_logger, Name, verb, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private static AgentOutcome Classify(ResourceAction action, ProcessResult run) => (action, run.ExitCode) switch
    {
        (_, null) when run.TimedOut => AgentOutcome.TimedOut,
        (_, OcfExitCodes.Success) => AgentOutcome.Success,
        // The OCF API defines 7 as "not running", so a stop that finds nothing to stop has reached its goal.
        (ResourceAction.Stop, OcfExitCodes.NotRunning) => AgentOutcome.Success,
        (ResourceAction.Monitor, OcfExitCodes.NotRunning) => AgentOutcome.NotRunning,
        (ResourceAction.Monitor, OcfExitCodes.RunningMaster) => AgentOutcome.Success,
        _ => AgentOutcome.Failed,
    };

    private string Describe(string verb, TimeSpan timeout, ProcessResult run)
    {
        if (run.TimedOut)
        {
            return $"{Type} {verb} timed out after {AgentText.Span(timeout)}";
        }

        if (run.ExitCode is not { } code)
        {
            return _redactor.Scrub(AgentText.WithDetail($"{Type} {verb} did not run", AgentText.FirstLine(run)));
        }

        // Agents state their own cause on an "ocf-exit-reason:" line; it beats whatever came first on stderr.
        string detail = AgentText.LineWithPrefix(run.StandardError, "ocf-exit-reason:") ?? AgentText.FirstLine(run);
        string head = code == OcfExitCodes.Success
            ? $"{Type} {verb} returned 0 (OCF_SUCCESS)"
            : $"{Type} {verb} exited {code} ({OcfExitCodes.Name(code)})";
        return _redactor.Scrub(code == OcfExitCodes.Success ? head : AgentText.WithDetail(head, detail));
    }

    private ProcessSpec BuildSpec(string verb, TimeSpan timeout)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OCF_ROOT"] = _ocfRoot,
            ["OCF_RA_VERSION_MAJOR"] = "1",
            ["OCF_RA_VERSION_MINOR"] = "0",
            ["OCF_RESOURCE_INSTANCE"] = _resource.Name,
            ["OCF_RESOURCE_TYPE"] = Type,
            ["OCF_RESOURCE_PROVIDER"] = Provider,
            ["OCF_RESKEY_CRM_meta_timeout"] = ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
            ["OCF_RESKEY_CRM_meta_on_node"] = _localNodeName,
        };
        foreach ((string name, string value) in _resource.Parameters)
        {
            environment["OCF_RESKEY_" + name] = value;
        }

        return new ProcessSpec(AgentPath, [verb], environment, null, timeout);
    }

    /// <summary>Why the agent cannot run at all, or null. The file is looked up per call: it may be installed later.</summary>
    private string? FindProblem()
    {
        if (_configurationProblem is not null)
        {
            return _configurationProblem;
        }

        if (!File.Exists(AgentPath))
        {
            return $"{Name}: OCF agent ocf:{Provider}:{Type} is not installed ({AgentPath} does not exist)";
        }

        bool executable = OperatingSystem.IsWindows() || (File.GetUnixFileMode(AgentPath) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        return executable ? null : $"{Name}: OCF agent {AgentPath} is not executable";
    }

    private static (string Provider, string Type, string? Problem) ParseAgent(ResourceConfig resource)
    {
        string agent = resource.Agent?.Trim() ?? "";
        if (agent.StartsWith("ocf:", StringComparison.Ordinal))
        {
            agent = agent["ocf:".Length..];
        }

        string[] parts = agent.Split(':');
        if (parts.Length != 2 || !SafeName().IsMatch(parts[0]) || !SafeName().IsMatch(parts[1]))
        {
            return ("", "", $"{resource.Name}: OCF agent must be written provider:type, got '{resource.Agent}'");
        }

        string? badParameter = resource.Parameters.Keys.FirstOrDefault(k => !ParameterName().IsMatch(k));
        return badParameter is null
            ? (parts[0], parts[1], null)
            : (parts[0], parts[1], $"{resource.Name}: parameter name '{badParameter}' cannot become OCF_RESKEY_{badParameter}");
    }

    // Leading letter/digit/underscore keeps "." and ".." (and any path tricks) out of the agent path.
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.+-]*$")]
    private static partial Regex SafeName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ParameterName();
}
