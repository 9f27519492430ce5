using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>
/// Confirms a node is stopped when its crash-dump kernel announces itself (fence_kdump protocol): a node running its
/// kdump kernel runs nothing else. It never stops a node; put it first, before an agent that does, so that a crashed
/// node writes its dump instead of being powered off in the middle of it.
/// </summary>
internal sealed class KdumpShutdownAgent : IShutdownAgent
{
    private readonly ShutdownAgentConfig _config;
    private readonly ImmutableArray<string> _addresses;
    private readonly int _port;
    private readonly ShutdownAgentServices _services;
    private readonly string _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    private KdumpShutdownAgent(ShutdownAgentConfig config, AgentParameters parameters, ShutdownTarget target, ShutdownAgentServices services)
    {
        _config = config;
        _addresses = TargetAddresses.Of(parameters, target);
        _port = parameters.Integer("port");
        _services = services;
        _target = target.Name;
        _logger = services.Loggers.CreateLogger("Palisade.Agents.Kdump");
        _time = services.Time;
    }

    public string Type => _config.Type;

    private string Prefix => $"{_target} via {Type}";

    public static IShutdownAgent Create(AgentParameters parameters, ShutdownAgentConfig config, ShutdownTarget target, ShutdownAgentServices services) =>
        new KdumpShutdownAgent(config, parameters, target, services);

    /// <summary>The addresses are well formed and the port is bound (or already bound by this process).</summary>
    public Task<AgentResult> InitAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        string? problem = TargetAddresses.Problem(_addresses) ?? _services.KdumpListener(_port).Listen();
        return Task.FromResult(problem is null
            ? Result(AgentOutcome.Success, $"listening on udp {_port} for announcements from {string.Join(", ", _addresses)}", started)
            : NotConfigured(problem, started));
    }

    /// <summary>Only this side can be checked: the node's dump kernel speaks only once the node has crashed.</summary>
    public Task<AgentResult> TestAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        string? problem = _services.KdumpListener(_port).Listen();
        return Task.FromResult(problem is null
            ? Result(AgentOutcome.Success, $"listening on udp {_port}; the node's side cannot be tested without crashing it", started)
            : NotConfigured(problem, started));
    }

    public async Task<AgentResult> KillAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        if (TargetAddresses.Problem(_addresses) is { } invalid)
        {
            return NotConfigured(invalid, started);
        }

        KdumpListener listener = _services.KdumpListener(_port);
        if (listener.Listen() is { } problem)
        {
            return NotConfigured(problem, started);
        }

        (IReadOnlyList<IPAddress> sources, string unresolved) = await TargetAddresses.ResolveAsync(_addresses, Remaining(started), _time, ct).ConfigureAwait(false);
        if (sources.Count == 0)
        {
            return Result(AgentOutcome.Failed, unresolved, started);
        }

        string from = TargetAddresses.Join(sources);
        Log.KdumpWaiting(_logger, _target, Remaining(started).TotalMilliseconds, from, _port);
        using var deadline = new CancellationTokenSource(Remaining(started) > TimeSpan.Zero ? Remaining(started) : TimeSpan.FromMilliseconds(1), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        AgentResult result;
        try
        {
            KdumpAnnouncement announcement = await listener.WaitAsync(sources, linked.Token).ConfigureAwait(false);
            TimeSpan before = _time.GetElapsedTime(announcement.ReceivedAt, started);
            string when = announcement.ReceivedAt < started && before > TimeSpan.Zero
                ? $"{AgentText.Span(before)} before this kill"
                : $"after {AgentText.Span(_time.GetElapsedTime(started, announcement.ReceivedAt))}";
            result = Result(AgentOutcome.Success, $"dump kernel announced itself from {announcement.Source} {when}", started);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            result = Result(AgentOutcome.TimedOut, $"no announcement from {from} on udp {_port} within {AgentText.Span(_config.Timeout)}", started);
        }
        catch (ObjectDisposedException)
        {
            result = Result(AgentOutcome.Failed, $"the listener on udp {_port} was closed while waiting", started);
        }

        Log.PowerOperationFinished(_logger, _target, "kdump confirmation", result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private TimeSpan Remaining(long started) => _config.Timeout - _time.GetElapsedTime(started);

    private AgentResult NotConfigured(string problem, long started)
    {
        Log.ShutdownAgentNotConfigured(_logger, _target, Type, problem);
        return Result(AgentOutcome.NotConfigured, problem, started);
    }

    private AgentResult Result(AgentOutcome outcome, string detail, long started) =>
        new(outcome, null, $"{Prefix}: {detail}", "", _time.GetElapsedTime(started));
}
