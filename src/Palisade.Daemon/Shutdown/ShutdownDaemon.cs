using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

/// <summary>
/// The shutdown daemon (SD) of this node: initialises every node's shutdown agents, tests every other node's fencing
/// paths periodically, runs a target's agent chain when this node is chosen to fence it, and tells the cluster what
/// each attempt did. Its state table is this node's view; kills by other nodes reach it through the ordered stream.
/// </summary>
internal sealed partial class ShutdownDaemon : IAsyncDisposable
{
    /// <summary>How many agent tests run at once in a test cycle.</summary>
    private const int TestParallelism = 8;

    /// <summary>Grace beyond an agent's own timeout before the daemon gives up on it.</summary>
    private static readonly TimeSpan AgentGuard = TimeSpan.FromSeconds(5);

    private readonly IClusterSender _sender;
    private readonly Func<bool> _isQuorate;
    private readonly IShutdownAgentFactory _agentFactory;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly HashSet<string> _killing = [];
    private readonly LiveConfig _live;
    private ShutdownTable _table;
    private ImmutableDictionary<(string Target, int Index), IShutdownAgent> _agents = ImmutableDictionary<(string, int), IShutdownAgent>.Empty;
    private CancellationTokenSource? _testLoop;
    private Task _testTask = Task.CompletedTask;
    private Task _testCycle = Task.CompletedTask;

    public ShutdownDaemon(LiveConfig config, IClusterSender sender, Func<bool> isQuorate, IShutdownAgentFactory agents, ILoggerFactory loggers)
    {
        _live = config;
        _sender = sender;
        _isQuorate = isQuorate;
        _agentFactory = agents;
        _log = loggers.CreateLogger(SdLog.Category);
        _table = ShutdownTable.Create(config.Current);
    }

    public bool Running { get; private set; }

    public ShutdownTable Table
    {
        get
        {
            lock (_gate)
            {
                return _table;
            }
        }
    }

    public ClusterConfig Config
    {
        get
        {
            lock (_gate)
            {
                return _config;
            }
        }
    }

    private ClusterConfig _config => _live.Current;

    private TimeProvider Time => _sender.Time;

    private string Local => _sender.LocalNode;

    /// <summary>Initialises every agent, then tests the paths now and every test interval after.</summary>
    public async Task StartAsync(string reason)
    {
        if (Running)
        {
            return;
        }

        Running = true;
        SdLog.DaemonState(_log, "started", reason);
        await InitAllAsync();
        _testLoop = new CancellationTokenSource();
        _testTask = TestLoopAsync(_testLoop.Token);
    }

    /// <summary>Stops testing and uninitialises every agent; from now on this node fences nobody.</summary>
    public async Task StopAsync(string reason)
    {
        if (!Running)
        {
            return;
        }

        Running = false;
        SdLog.DaemonState(_log, "stopped (this node fences nobody)", reason);
        if (_testLoop is not null)
        {
            _testLoop.Cancel(); // callbacks run here, not on the thread pool (CancelAsync would leave the caller's context)
            await _testTask;
            _testLoop.Dispose();
            _testLoop = null;
        }

        foreach (var row in Table.Rows)
        {
            Record(row.Target, row.Index, row.Agent, AgentActivity.UnInit, null);
        }

        foreach (var row in Table.Rows)
        {
            Record(row.Target, row.Index, row.Agent, AgentActivity.UnInit, new AgentResult(AgentOutcome.Success, null, "uninitialised", "", TimeSpan.Zero));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync("palisaded is exiting");
        await _testCycle;
        await _agentFactory.DisposeAsync();
    }

    /// <summary>Runs one test cycle now and returns the table after it.</summary>
    public async Task<ShutdownTable> TestNowAsync()
    {
        await TestAllAsync();
        return Table;
    }

    /// <summary>A kill by another node's daemon (seen in the ordered stream) updates the Shut State shown here.</summary>
    public void OnAttempt(FenceAttempted attempt)
    {
        if (attempt.From == Local)
        {
            return;
        }

        lock (_gate)
        {
            _table = _table.Finished(attempt.Target, attempt.AgentIndex, AgentActivity.Kill, attempt.Result == FenceResult.Worked,
                $"by {attempt.From}: {attempt.Reason}", attempt.At, local: false);
        }
    }

    private async Task InitAllAsync()
    {
        ImmutableDictionary<(string, int), IShutdownAgent> agents;
        lock (_gate)
        {
            agents = _config.Nodes
                .SelectMany(n => n.ShutdownAgents.Select((a, i) => (Node: n, Agent: a, Index: i + 1)))
                .ToImmutableDictionary(x => (x.Node.Name, x.Index), x => _agentFactory.Create(x.Agent, x.Node));
            _agents = agents;
        }

        await Task.WhenAll(agents.Select(a => RunAsync(a.Key.Item1, a.Key.Item2, a.Value, AgentActivity.Init, (x, ct) => x.InitAsync(ct))));
    }

    private async Task TestLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await TestAllAsync();
                await Task.Delay(Config.Shutdown.TestInterval, Time, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // stopped
        }
    }

    /// <summary>Tests every other node's paths, a few at a time; only one cycle runs at once.</summary>
    private Task TestAllAsync()
    {
        lock (_gate)
        {
            if (_testCycle.IsCompleted)
            {
                _testCycle = TestCycleAsync();
            }

            return _testCycle;
        }
    }

    private async Task TestCycleAsync()
    {
        var started = Time.GetTimestamp();
        List<KeyValuePair<(string Target, int Index), IShutdownAgent>> targets;
        lock (_gate)
        {
            targets = [.. _agents.Where(a => a.Key.Target != Local && _table.IsReady(a.Key.Target, a.Key.Index))
                .OrderBy(a => a.Key.Target, StringComparer.Ordinal).ThenBy(a => a.Key.Index)];
        }

        using var slots = new SemaphoreSlim(TestParallelism);
        var results = await Task.WhenAll(targets.Select(async a =>
        {
            await slots.WaitAsync();
            try
            {
                return await RunAsync(a.Key.Target, a.Key.Index, a.Value, AgentActivity.Test, (x, ct) => x.TestAsync(ct));
            }
            finally
            {
                slots.Release();
            }
        }));
        SdLog.TestCycle(_log, results.Count(r => r.Succeeded), results.Length, (long)Time.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Runs one agent call within its timeout plus a guard, recording start and end in the table.</summary>
    private async Task<AgentResult> RunAsync(string target, int index, IShutdownAgent agent, AgentActivity activity, Func<IShutdownAgent, CancellationToken, Task<AgentResult>> call)
    {
        var timeout = AgentTimeout(target, index);
        Record(target, index, agent.Type, activity, null);
        var started = Time.GetTimestamp();
        AgentResult result;
        using var guard = new CancellationTokenSource(timeout + AgentGuard, Time);
        try
        {
            result = await call(agent, guard.Token);
        }
        catch (OperationCanceledException)
        {
            result = new AgentResult(AgentOutcome.TimedOut, null, $"{target} via {agent.Type}: no answer within {timeout.TotalSeconds:0.#} s", "", Time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            result = new AgentResult(AgentOutcome.Failed, null, $"{target} via {agent.Type}: {ex.Message}", "", Time.GetElapsedTime(started));
        }

        Record(target, index, agent.Type, activity, result);
        return result;
    }

    private TimeSpan AgentTimeout(string target, int index)
    {
        lock (_gate)
        {
            return _config.FindNode(target) is { } node && index <= node.ShutdownAgents.Length
                ? node.ShutdownAgents[index - 1].Timeout
                : TimeSpan.FromSeconds(20);
        }
    }

    /// <summary>Puts a start (<paramref name="result"/> null) or an end into the table and the log.</summary>
    private void Record(string target, int index, string type, AgentActivity activity, AgentResult? result)
    {
        var now = Time.GetUtcNow();
        lock (_gate)
        {
            _table = result is null
                ? _table.Started(target, index, activity, now)
                : _table.Finished(target, index, activity, result.Succeeded, result.Reason, now);
        }

        if (result is null)
        {
            return;
        }

        SdLog.Activity(_log, target, index, type, activity.ToString(), result.Outcome.ToString(), (long)result.Duration.TotalMilliseconds, result.Reason);
        if (!result.Succeeded && activity != AgentActivity.Kill)
        {
            SdLog.ActivityFailed(_log, target, index, type, activity.ToString(), result.Reason);
        }
    }

    private static FenceResult ResultOf(AgentOutcome outcome) => outcome switch
    {
        AgentOutcome.Success => FenceResult.Worked,
        AgentOutcome.TimedOut => FenceResult.TimedOut,
        AgentOutcome.NotConfigured => FenceResult.NotConfigured,
        _ => FenceResult.Failed,
    };
}
