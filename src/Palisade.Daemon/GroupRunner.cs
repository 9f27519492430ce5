using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;

namespace Palisade.Daemon;

/// <summary>
/// Starts, stops and monitors the groups the cluster placed on this node, one job at a time per group, and reports
/// every outcome to the cluster. It also remembers what it started, so it can stop everything at once when this node
/// must drop out (quorum lost, corosync gone, shutdown).
/// </summary>
internal sealed class GroupRunner : IAsyncDisposable
{
    private readonly ClusterConfig _config;
    private readonly IClusterSender _sender;
    private readonly IResourceAgentFactory _agents;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _monitors = new();
    private readonly ConcurrentDictionary<string, byte> _active = new();

    /// <summary>Resources a stop_resource final action stopped, per group: not watched until the group starts again.</summary>
    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _parked = new();
    private readonly CancellationTokenSource _shutdown = new();
    private int _startsAsked;
    private int _stopsAsked;

    public GroupRunner(ClusterConfig config, IClusterSender sender, IResourceAgentFactory agents, ILoggerFactory loggers,
        Func<ProcessSpec, CancellationToken, Task<ProcessResult>>? commands = null)
    {
        _config = config;
        _sender = sender;
        _agents = agents;
        _log = loggers.CreateLogger("palisade.groups");
        _commands = commands ?? ProcessRunner.RunAsync;
    }

    private readonly Func<ProcessSpec, CancellationToken, Task<ProcessResult>> _commands;

    /// <summary>Groups this node may be running (started, or being started or stopped).</summary>
    public IReadOnlyCollection<string> ActiveGroups => _active.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>This palisaded has never been asked to start a group: what its probe finds cannot be overtaken by its own start.</summary>
    public bool NeverStarted => Volatile.Read(ref _startsAsked) == 0;

    public Task StartAsync(string group, string reason)
    {
        Interlocked.Increment(ref _startsAsked);
        return RunExclusive(group, () => StartCore(group, reason));
    }

    /// <summary>This palisaded has never been asked to start or stop a group: no job of its own can be under way.</summary>
    public bool Idle => NeverStarted && Volatile.Read(ref _stopsAsked) == 0;

    public Task StopAsync(string group, string reason, bool report = true)
    {
        Interlocked.Increment(ref _stopsAsked);
        return RunExclusive(group, () => StopCore(group, reason, report));
    }

    /// <summary>
    /// Stops every group this node may run, in parallel, without waiting for the cluster: the active ones and any with
    /// a job under way (a start that has not marked its group active yet is then stopped right after it).
    /// </summary>
    public Task StopAllAsync(string reason, bool report) =>
        Task.WhenAll(_active.Keys.Union(_locks.Where(l => l.Value.CurrentCount == 0).Select(l => l.Key)).Order(StringComparer.Ordinal).ToList()
            .Select(g => StopAsync(g, reason, report)));

    /// <summary>
    /// What the monitors of the groups this node may run say now: groups with a resource running here, and groups
    /// whose probe failed or timed out without any resource running (they may hide one: only a clean "not running"
    /// shows nothing runs). Both count as active here, so an emergency stop covers them too.
    /// </summary>
    public async Task<(IReadOnlyList<string> Running, IReadOnlyList<string> Uncertain)> ProbeAsync()
    {
        var running = new List<string>();
        var uncertain = new List<string>();
        foreach (var group in _config.Groups.Where(g => g.Nodes.Contains(_sender.LocalNode)))
        {
            var outcomes = new List<AgentOutcome>();
            foreach (var resource in group.Resources)
            {
                var result = await Agent(group, resource).MonitorAsync(_shutdown.Token);
                LogResult(group.Name, resource.Name, "probe", result);
                outcomes.Add(result.Outcome);
            }

            var list = outcomes.Contains(AgentOutcome.Success) ? running
                : outcomes.Any(o => o != AgentOutcome.NotRunning) ? uncertain
                : null;
            if (list is not null)
            {
                list.Add(group.Name);
                _active[group.Name] = 0;
            }
        }

        return (running, uncertain);
    }

    /// <summary>A group the cluster adopted here after a probe is watched like one started here.</summary>
    public Task AdoptAsync(string group) => RunExclusive(group, () =>
    {
        if (_config.FindGroup(group) is { } config)
        {
            _active[group] = 0;
            StartMonitors(config);
        }

        return Task.CompletedTask;
    });

    /// <summary>
    /// A recovery restart of one resource: it and the resources after it are stopped (last first) and started again,
    /// each start reported; the group stays Online. A stop that fails is a failed stop of the group (the node is then
    /// fenced); a start that fails is a new error of that resource, which the next rung answers.
    /// </summary>
    public Task RestartResourceAsync(string groupName, string resourceName, string reason) => RunExclusive(groupName, async () =>
    {
        if (!_active.ContainsKey(groupName) || _config.FindGroup(groupName) is not { } group
            || group.Resources.Select(r => r.Name).ToList().IndexOf(resourceName) is var from && from < 0)
        {
            return; // stopped meanwhile: nothing runs here to restart
        }

        Log.GroupAction(_log, groupName, $"restart of {resourceName}", reason);
        StopMonitors(groupName);
        var again = group.Resources.Skip(from).ToList();
        if (await StopResources(group, again) is { } stopFailure)
        {
            Send(new GroupStopFailed(groupName, _sender.LocalNode, stopFailure));
            return;
        }

        foreach (var resource in again)
        {
            var result = await Agent(group, resource).StartAsync(_shutdown.Token);
            LogResult(groupName, resource.Name, "start", result);
            if (!result.Succeeded)
            {
                Send(new ResourceFailed(groupName, resource.Name, _sender.LocalNode, $"restart: start failed: {result.Reason}"));
                return;
            }

            Send(new ResourceReport(groupName, resource.Name, _sender.LocalNode, ResourceState.Started, result.Reason));
        }

        StartMonitors(group);
    });

    /// <summary>
    /// The final action stop_resource: the resource and those after it are stopped (last first), each reported, and
    /// left stopped and unwatched while the group stays Online. A stop that fails is a failed stop of the group.
    /// </summary>
    public Task StopResourceAsync(string groupName, string resourceName, string reason) => RunExclusive(groupName, async () =>
    {
        if (!_active.ContainsKey(groupName) || _config.FindGroup(groupName) is not { } group
            || group.Resources.Select(r => r.Name).ToList().IndexOf(resourceName) is var from && from < 0)
        {
            return;
        }

        Log.GroupAction(_log, groupName, $"stop of {resourceName}", reason);
        StopMonitors(groupName);
        var stopped = group.Resources.Skip(from).ToList();
        if (await StopResources(group, stopped) is { } failure)
        {
            Send(new GroupStopFailed(groupName, _sender.LocalNode, failure));
            return;
        }

        foreach (var resource in stopped)
        {
            Send(new ResourceReport(groupName, resource.Name, _sender.LocalNode, ResourceState.Stopped, $"stopped: {reason}"));
        }

        _parked[groupName] = stopped.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        StartMonitors(group);
    });

    private async Task RunExclusive(string group, Func<Task> job)
    {
        var gate = _locks.GetOrAdd(group, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync();
        try
        {
            await job();
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task StartCore(string groupName, string reason)
    {
        var group = _config.FindGroup(groupName)!;
        Log.GroupAction(_log, groupName, "start", reason);
        _active[groupName] = 0;
        _parked.TryRemove(groupName, out _);
        var started = new List<ResourceConfig>();
        foreach (var resource in group.Resources)
        {
            var result = await Agent(group, resource).StartAsync(_shutdown.Token);
            LogResult(groupName, resource.Name, "start", result);
            if (!result.Succeeded)
            {
                started.Add(resource); // a failed start may have left something behind: stop it too
                await RollBack(group, started, $"{resource.Name}: {result.Reason}");
                return;
            }

            started.Add(resource);
            Send(new ResourceReport(groupName, resource.Name, _sender.LocalNode, ResourceState.Started, result.Reason));
        }

        Send(new GroupStarted(groupName, _sender.LocalNode));
        StartMonitors(group);
    }

    private async Task RollBack(GroupConfig group, List<ResourceConfig> started, string why)
    {
        var stopFailure = await StopResources(group, started);
        if (stopFailure is null)
        {
            _active.TryRemove(group.Name, out _);
            Send(new GroupStartFailed(group.Name, _sender.LocalNode, why));
        }
        else
        {
            Send(new GroupStopFailed(group.Name, _sender.LocalNode, $"start failed ({why}), then {stopFailure}"));
        }
    }

    private async Task StopCore(string groupName, string reason, bool report)
    {
        var group = _config.FindGroup(groupName)!;
        Log.GroupAction(_log, groupName, "stop", reason);
        StopMonitors(groupName);
        _parked.TryRemove(groupName, out _);
        var failure = await StopResources(group, group.Resources);
        if (failure is null)
        {
            _active.TryRemove(groupName, out _);
        }

        if (!report)
        {
            return;
        }

        Send(failure is null
            ? new GroupStopped(groupName, _sender.LocalNode, $"stopped on {_sender.LocalNode}: {reason}")
            : new GroupStopFailed(groupName, _sender.LocalNode, failure));
    }

    /// <summary>Stops resources in reverse order; returns why the first stop failed, or null.</summary>
    private async Task<string?> StopResources(GroupConfig group, IReadOnlyList<ResourceConfig> resources)
    {
        string? failure = null;
        foreach (var resource in resources.Reverse())
        {
            var result = await Agent(group, resource).StopAsync(CancellationToken.None);
            LogResult(group.Name, resource.Name, "stop", result);
            if (!result.Succeeded)
            {
                // Keep stopping the others: the less that runs on a node about to be fenced, the better.
                failure ??= $"{resource.Name}: {result.Reason}";
            }
        }

        return failure;
    }

    private void StartMonitors(GroupConfig group)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(_shutdown.Token);
        if (_monitors.TryRemove(group.Name, out var previous))
        {
            previous.Cancel();
        }

        _monitors[group.Name] = cts;
        var parked = _parked.GetValueOrDefault(group.Name) ?? new HashSet<string>();
        foreach (var resource in group.Resources.Where(r => r.MonitorInterval > TimeSpan.Zero && !parked.Contains(r.Name)))
        {
            _ = MonitorLoop(group, resource, cts.Token);
        }
    }

    private void StopMonitors(string group)
    {
        if (_monitors.TryRemove(group, out var cts))
        {
            cts.Cancel();
        }
    }

    private async Task MonitorLoop(GroupConfig group, ResourceConfig resource, CancellationToken ct)
    {
        var agent = Agent(group, resource);
        var name = ResourceConfig.MonitorName(group.Name, resource.Name);
        var failures = 0;
        var suspended = false;
        try
        {
            if (resource.MonitorStartDelay > TimeSpan.Zero)
            {
                await Task.Delay(resource.MonitorStartDelay, _sender.Time, ct);
            }

            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(resource.MonitorInterval, _sender.Time, ct);
                if (_sender.MonitorSuspended(name) != suspended)
                {
                    suspended = !suspended;
                    failures = 0;
                    Log.MonitorSuspended(_log, group.Name, resource.Name, suspended ? "suspended: not run until resumed" : "resumed");
                }

                if (suspended)
                {
                    continue;
                }

                var result = await agent.MonitorAsync(ct);
                if (ct.IsCancellationRequested || result.Succeeded)
                {
                    failures = 0;
                    continue;
                }

                if (result.Outcome == AgentOutcome.TimedOut && !resource.MonitorTimeoutIsError)
                {
                    Log.MonitorTimeoutIgnored(_log, group.Name, resource.Name, result.Reason);
                    continue;
                }

                if (++failures <= resource.MonitorRetries)
                {
                    Log.MonitorRetrying(_log, group.Name, resource.Name, failures, resource.MonitorRetries, result.Reason);
                    continue;
                }

                Log.MonitorFailed(_log, group.Name, resource.Name, result.Reason);
                Send(new ResourceFailed(group.Name, resource.Name, _sender.LocalNode, $"monitor: {result.Outcome}: {result.Reason}"));
                return; // the coordinator now stops the group here and starts it elsewhere
            }
        }
        catch (OperationCanceledException)
        {
            // the group was stopped
        }
    }

    /// <summary>
    /// Runs a recovery script or pre-action for an error of a monitor acting on <paramref name="effect"/>'s group,
    /// ahead of whatever the cluster does to the group next (the group's jobs wait for it). After a recovery script
    /// the group's resource monitors start over here: one still failing reports again and the next rung follows.
    /// </summary>
    public Task RunRecoveryCommandAsync(Core.Replication.RecoveryCommandEffect effect) => RunExclusive(effect.Group, async () =>
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PALISADE_MONITOR"] = effect.Monitor,
            ["PALISADE_ACTION"] = effect.Action,
            ["PALISADE_TARGET"] = effect.Group == RecoveryOrdered.AllGroups ? "all_groups" : effect.Group,
            ["PALISADE_NODE"] = _sender.LocalNode,
            ["PALISADE_STATUS"] = "Error",
        };
        var run = await _commands(new ProcessSpec("/bin/sh", ["-c", effect.Command], environment, Timeout: effect.Timeout), _shutdown.Token);
        var outcome = run.TimedOut ? $"did not finish within {effect.Timeout.TotalSeconds:0}s"
            : run.ExitCode is { } code ? $"exited {code}" : $"could not start: {run.StandardError.Trim()}";
        var output = (run.StandardError.Trim() + " " + run.StandardOutput.Trim()).Trim();
        Log.RecoveryCommand(_log, effect.Monitor, effect.Action, outcome, (long)run.Duration.TotalMilliseconds, output.Length > 200 ? output[..200] : output);
        if (effect.Action == "script" && _active.ContainsKey(effect.Group) && _config.FindGroup(effect.Group) is { } group)
        {
            StartMonitors(group);
        }
    });

    private IResourceAgent Agent(GroupConfig group, ResourceConfig resource) =>
        _agents.Create(resource, group.Name, _sender.LocalNode);

    private void LogResult(string group, string resource, string action, AgentResult r) =>
        Log.ResourceAction(_log, group, resource, action, r.Outcome.ToString(), (long)r.Duration.TotalMilliseconds, r.Reason);

    private void Send(NodeMessage message)
    {
        var stamped = message with { From = _sender.LocalNode, At = _sender.Time.GetUtcNow() };
        Reports.Sent(stamped, stamped.At);
        _sender.Send(stamped);
    }

    /// <summary>The last outcome reported per group, sent again while the cluster has not applied it.</summary>
    public ReportRetry Reports { get; } = new();

    /// <summary>A start or stop of <paramref name="group"/> runs here now.</summary>
    public bool Busy(string group) => _locks.TryGetValue(group, out var gate) && gate.CurrentCount == 0;

    public ValueTask DisposeAsync()
    {
        _shutdown.Cancel();
        _shutdown.Dispose();
        return ValueTask.CompletedTask;
    }
}
