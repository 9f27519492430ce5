using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>
/// Confirms a lost node down once its own watchdog must have reset it: the node stops feeding its watchdog as soon as
/// it loses its corosync link or quorum, or yields a two-node split, so twice the watchdog timeout after it was lost,
/// or after its last sign of life if that came later, it no longer runs anything. A sign of life during the wait
/// (the node back in the membership, a partition advert from it) fails the attempt: the node is alive. Never stops a
/// node.
/// </summary>
internal sealed class WatchdogShutdownAgent : IShutdownAgent
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly ShutdownAgentConfig _config;
    private readonly ShutdownAgentServices _services;
    private readonly string _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    private WatchdogShutdownAgent(ShutdownAgentConfig config, ShutdownTarget target, ShutdownAgentServices services)
    {
        _config = config;
        _services = services;
        _target = target.Name;
        _logger = services.Loggers.CreateLogger("Palisade.Agents.Watchdog");
        _time = services.Time;
    }

    public string Type => _config.Type;

    public static IShutdownAgent Create(AgentParameters parameters, ShutdownAgentConfig config, ShutdownTarget target, ShutdownAgentServices services) =>
        new WatchdogShutdownAgent(config, target, services);

    public Task<AgentResult> InitAsync(CancellationToken ct) => Task.FromResult(Check(_time.GetTimestamp()));

    /// <summary>Only the node itself can check its device (palisaded does not start without it); this side checks the configuration.</summary>
    public Task<AgentResult> TestAsync(CancellationToken ct) => Task.FromResult(Check(_time.GetTimestamp()));

    public async Task<AgentResult> KillAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        DateTimeOffset attemptStart = Liveness?.Now ?? _time.GetUtcNow();
        if (Problem() is { } problem)
        {
            return Result(AgentOutcome.NotConfigured, problem, started);
        }

        var wait = 2 * Liveness!.Of(_target).WatchdogTimeout;
        var announced = false;
        while (true)
        {
            NodeLiveness node = Liveness.Of(_target);
            DateTimeOffset now = Liveness.Now;
            if (Alive(node, attemptStart) is { } alive)
            {
                return Finish(Result(AgentOutcome.Failed, alive, started));
            }

            if (node.LostAt is not { } lostAt)
            {
                return Finish(Result(AgentOutcome.Failed, "it was not seen lost from this partition: a watchdog confirms only a lost node", started));
            }

            DateTimeOffset since = node.LastSignOfLife is { } sign && sign > lostAt ? sign : lostAt;
            DateTimeOffset due = since + wait;
            string basis = since == lostAt ? $"it was lost {AgentText.Span(now - lostAt)} ago" : $"its last sign of life, {AgentText.Span(now - since)} ago";
            if (now >= due)
            {
                return Finish(Result(AgentOutcome.Success, $"its watchdog must have reset it: {basis}, twice its watchdog timeout ({AgentText.Span(wait)})", started));
            }

            TimeSpan left = _config.Timeout - _time.GetElapsedTime(started);
            if (due - now > left)
            {
                return Finish(Result(AgentOutcome.TimedOut,
                    $"it counts as down only {AgentText.Span(due - now)} from now ({basis}; twice its watchdog timeout is {AgentText.Span(wait)}), after this attempt's timeout", started));
            }

            if (!announced)
            {
                WatchdogLog.Waiting(_logger, _target, (long)(due - now).TotalMilliseconds, basis);
                announced = true;
            }

            await Task.Delay(Min(due - now, PollInterval), _time, ct).ConfigureAwait(false);
        }
    }

    private INodeLiveness? Liveness => _services.Liveness;

    /// <summary>Why the node is alive, or null: back in the membership, or an advert received since this attempt began.</summary>
    private static string? Alive(NodeLiveness node, DateTimeOffset attemptStart) =>
        node.Member ? "it is a member of this partition: it is alive, and a watchdog never stops a running node"
        : node.LastSignOfLife is { } sign && sign > attemptStart && node.LostAt is { } lost && sign > lost
            ? "it sent a partition advert during the wait: it is alive, and its watchdog has not reset it"
            : null;

    private string? Problem() =>
        Liveness is null ? "this process keeps no record of the nodes' signs of life"
        : Liveness.Of(_target).Watchdog is null ? $"{_target} has no watchdog device ('watchdog' in its node entry)"
        : null;

    private AgentResult Check(long started) => Problem() is { } problem
        ? Result(AgentOutcome.NotConfigured, problem, started)
        : Result(AgentOutcome.Success,
            $"{_target} resets itself through {Liveness!.Of(_target).Watchdog} when unhealthy; it counts as down {AgentText.Span(2 * Liveness.Of(_target).WatchdogTimeout)} after it is lost",
            started);

    private AgentResult Finish(AgentResult result)
    {
        Log.PowerOperationFinished(_logger, _target, "watchdog confirmation", result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private AgentResult Result(AgentOutcome outcome, string detail, long started) =>
        new(outcome, null, $"{_target} via {Type}: {detail}", "", _time.GetElapsedTime(started));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
