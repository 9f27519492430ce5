using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>
/// Confirms a node is down when none of its addresses answers ICMP echo (System.Net.NetworkInformation.Ping: raw
/// sockets as root, else the system's ping). It never stops a node, and silence is weak evidence (a cut cable is
/// silent too), so it belongs after the agents that stop a node, or alone where nothing else exists.
/// </summary>
internal sealed class IcmpShutdownAgent : IShutdownAgent
{
    private readonly ShutdownAgentConfig _config;
    private readonly ImmutableArray<string> _addresses;
    private readonly int _count;
    private readonly TimeSpan _interval;
    private readonly string _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly EchoRound _round;

    private IcmpShutdownAgent(ShutdownAgentConfig config, AgentParameters parameters, ShutdownTarget target, ShutdownAgentServices services)
    {
        _config = config;
        _addresses = TargetAddresses.Of(parameters, target);
        _count = parameters.Integer("count");
        _interval = TimeSpan.FromMilliseconds(parameters.Integer("interval"));
        _target = target.Name;
        _logger = services.Loggers.CreateLogger("Palisade.Agents.Icmp");
        _time = services.Time;
        _round = new EchoRound(_target, _logger, _time);
    }

    public string Type => _config.Type;

    private string Prefix => $"{_target} via {Type}";

    private string EchoesEach => _count == 1 ? "1 echo" : $"{_count} echoes";

    public static IShutdownAgent Create(AgentParameters parameters, ShutdownAgentConfig config, ShutdownTarget target, ShutdownAgentServices services) =>
        new IcmpShutdownAgent(config, parameters, target, services);

    public Task<AgentResult> InitAsync(CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        string? problem = Problem();
        return Task.FromResult(problem is null
            ? Result(AgentOutcome.Success, $"will ping {string.Join(", ", _addresses)} ({EchoesEach} each, {AgentText.Span(_interval)} apart)", started)
            : NotConfigured(problem, started));
    }

    /// <summary>Success when every address answers: the path the kill will listen on works.</summary>
    public Task<AgentResult> TestAsync(CancellationToken ct) =>
        RunAsync("icmp test", tallies => tallies.All(t => t.Answered > 0), Judge, ct);

    /// <summary>Success only when no address answered any echo and every echo could be sent.</summary>
    public Task<AgentResult> KillAsync(CancellationToken ct) =>
        RunAsync("icmp confirmation", tallies => tallies.Any(t => t.Answered > 0), Confirm, ct);

    private async Task<AgentResult> RunAsync(
        string operation, Func<IReadOnlyList<EchoTally>, bool> enough, Func<IReadOnlyList<EchoTally>, (AgentOutcome, string)> judge, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        if (Problem() is { } problem)
        {
            return NotConfigured(problem, started);
        }

        (IReadOnlyList<IPAddress> addresses, string unresolved) = await TargetAddresses.ResolveAsync(_addresses, Remaining(started), _time, ct).ConfigureAwait(false);
        if (addresses.Count == 0)
        {
            return Result(AgentOutcome.Failed, unresolved, started);
        }

        IReadOnlyList<EchoTally> tallies = await _round.RunAsync(addresses, _count, _interval, () => Remaining(started), enough, ct).ConfigureAwait(false);
        (AgentOutcome outcome, string detail) = judge(tallies);
        AgentResult result = Result(outcome, detail, started);
        Log.PowerOperationFinished(_logger, _target, operation, result.Outcome, result.Reason, result.Duration.TotalMilliseconds);
        return result;
    }

    private (AgentOutcome, string) Confirm(IReadOnlyList<EchoTally> tallies)
    {
        if (tallies.FirstOrDefault(t => t.Answered > 0) is { } answered)
        {
            return (AgentOutcome.Failed, $"{answered.Address} answered: the node is up; icmp never stops a node");
        }

        // An echo that could not leave this node proves nothing about the target.
        if (tallies.FirstOrDefault(t => t.Error is not null) is { } failed)
        {
            return (AgentOutcome.Failed, $"cannot ping {failed.Address}: {failed.Error}; silence not confirmed");
        }

        if (tallies.Any(t => t.Sent < _count))
        {
            int sent = tallies.Min(t => t.Sent);
            return (AgentOutcome.TimedOut, $"only {sent} of {_count} echoes to each address fitted in {AgentText.Span(_config.Timeout)}; silence not confirmed");
        }

        return (AgentOutcome.Success, $"no answer from {TargetAddresses.Join(tallies.Select(t => t.Address))} ({EchoesEach} each)");
    }

    private (AgentOutcome, string) Judge(IReadOnlyList<EchoTally> tallies)
    {
        EchoTally[] silent = [.. tallies.Where(t => t.Answered == 0)];
        if (silent.Length == 0)
        {
            string answers = string.Join(", ", tallies.Select(t => $"{t.Address} in {AgentText.Span(t.FastestReply ?? TimeSpan.Zero)}"));
            return (AgentOutcome.Success, $"every address answered ({answers})");
        }

        string silence = string.Join(", ", silent.Select(t => t.Error is null ? $"{t.Address}" : $"{t.Address} ({t.Error})"));
        EchoTally[] answered = [.. tallies.Where(t => t.Answered > 0)];
        string others = answered.Length == 0 ? "" : $"; answered: {TargetAddresses.Join(answered.Select(t => t.Address))}";
        return (AgentOutcome.Failed, $"no answer from {silence} ({EchoesEach} each){others}");
    }

    private string? Problem()
    {
        if (TargetAddresses.Problem(_addresses) is { } invalid)
        {
            return invalid;
        }

        // Every echo must go out before the deadline, else silence could never be confirmed.
        TimeSpan spread = _interval * (_count - 1);
        return spread < _config.Timeout
            ? null
            : $"{EchoesEach} {AgentText.Span(_interval)} apart do not fit in the timeout of {AgentText.Span(_config.Timeout)}";
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
