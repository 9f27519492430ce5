using Microsoft.Extensions.Logging;
using Palisade.Agents;
using Palisade.Agents.Monitors;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Signals;

namespace Palisade.Daemon.Sources;

/// <summary>
/// The node's built-in message sources (<c>sources:</c>): link changes from netlink and kernel log lines matched
/// against rule files. What they find goes to the node's intake like any message: journaled, then published.
/// </summary>
internal sealed class NodeSources : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _running = [];
    private readonly Func<ExternalNotice, string, Task<IntakeAnswer>> _intake;
    private readonly string _node;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<string, RedfishEventFollower> _bmcs = new(StringComparer.Ordinal);
    private long _sequence;

    public NodeSources(Func<ExternalNotice, string, Task<IntakeAnswer>> intake, string node, TimeProvider time, ILogger log)
    {
        _intake = intake;
        _node = node;
        _time = time;
        _log = log;
    }

    /// <summary>Starts every source of <c>sources:</c> for <paramref name="local"/>.</summary>
    public void Start(ClusterConfig cluster, NodeConfig local)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(local);
        var config = cluster.Sources;
        if (!config.Links.IsDefaultOrEmpty)
        {
            _running.Add(Guard("netlink", LinkWatcher.WatchAsync(config.Links, OnLink, _time, _stop.Token)));
            Log.SourceStarted(_log, "netlink", $"links {string.Join(", ", config.Links)}");
        }

        if (config.KernelLog is { } kernelLog)
        {
            var rules = LoadRules(kernelLog);
            var matcher = new LogRuleMatcher(rules);
            _running.Add(Guard("kernel log", KernelLogFollower.FollowAsync(kernelLog.Path, line => OnKernelLine(matcher, line), _time, _stop.Token)));
            Log.SourceStarted(_log, "kernel log", $"{kernelLog.Path} with {rules.Rules.Length} rule(s)");
        }

        if (config.RedfishEvents is { } redfish)
        {
            StartRedfish(cluster, local, redfish);
        }

        if (config.Rasdaemon is { } ras)
        {
            var follower = new RasdaemonFollower(ras.Database, ras.Interval, notice => HandAsync(notice, "rasdaemon"),
                why => Log.SourceProblem(_log, "rasdaemon", why), _node, _time);
            _running.Add(Guard("rasdaemon", follower.FollowAsync(_stop.Token)));
            Log.SourceStarted(_log, "rasdaemon", $"{ras.Database} every {ras.Interval.TotalSeconds:0.#} s");
        }
    }

    /// <summary>
    /// An Event document a BMC pushed to the intake for <paramref name="node"/>: the number of messages it gave, or null
    /// when this node does not follow that node's BMC. Throws <see cref="System.Text.Json.JsonException"/> for a body
    /// that is not an Event.
    /// </summary>
    public Task<int>? OnPushed(string node, ReadOnlyMemory<byte> json, string via) =>
        _bmcs.TryGetValue(node, out var follower) ? follower.OnDocumentAsync(json, via) : null;

    private void StartRedfish(ClusterConfig cluster, NodeConfig local, RedfishEventsSource redfish)
    {
        string? token = null;
        Uri? destination = null;
        if (redfish.Delivery == RedfishDelivery.Push)
        {
            var sender = cluster.Intake?.Senders.FirstOrDefault(s => s.Name == redfish.Sender);
            try
            {
                token = sender is null ? null : File.ReadAllText(sender.TokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.SourceProblem(_log, "redfish events", $"cannot read the token of sender {sender!.Name} ({sender.TokenFile}): {e.Message}; no BMC can push");
                return;
            }

            if (token is not { Length: > 0 } || cluster.Intake is not { } intake)
            {
                Log.SourceProblem(_log, "redfish events", $"sender {redfish.Sender} has no token: no BMC can push");
                return;
            }

            destination = new UriBuilder(Uri.UriSchemeHttps, intake.ListenOn(local), intake.Port).Uri;
        }

        var context = RedfishEventFollower.Context(cluster.Name, local.Name);
        foreach (var node in redfish.FollowedFrom(cluster, local.Name))
        {
            var client = RedfishEventClient.Create(RedfishEventsSource.BmcOf(node)!, node.Name, _log, _time, out var problem);
            if (client is null)
            {
                Log.SourceProblem(_log, "redfish events", problem);
                continue;
            }

            var follower = new RedfishEventFollower(client, node.Name, (notice, via) => HandAsync(notice, via), _time, _log);
            _bmcs[node.Name] = follower;
            _running.Add(Guard($"redfish events of {node.Name}", destination is null
                ? follower.FollowStreamAsync(_stop.Token)
                : follower.KeepSubscribedAsync(new Uri(destination, RedfishEventFollower.PushPath(node.Name)), context, token!, _stop.Token)));
        }

        Log.SourceStarted(_log, "redfish events", $"the BMCs of {string.Join(", ", _bmcs.Keys)} ({(destination is null ? "event stream" : "push")})");
    }

    private RuleSet LoadRules(KernelLogSource source)
    {
        var paths = source.Rules.IsDefaultOrEmpty ? [ShippedRules.Directory] : source.Rules;
        var files = paths.SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [p]);
        var set = RuleSet.LoadFiles([.. files]);
        foreach (var error in set.Errors)
        {
            Log.SourceProblem(_log, "kernel log", $"rule left out: {error}");
        }

        return set;
    }

    private void OnLink(string name, bool up, string text)
    {
        var id = $"link-{_node}-{name}-{_time.GetUtcNow().UtcTicks}-{Interlocked.Increment(ref _sequence)}";
        Hand(new ExternalNotice("NIC", name, up ? NoticeSeverity.Clear : NoticeSeverity.Error, text, $"netlink on {_node}", null, id), "netlink");
    }

    private void OnKernelLine(LogRuleMatcher matcher, KernelLogLine line)
    {
        foreach (var notice in matcher.Match(line, _time.GetUtcNow(), _node))
        {
            Hand(notice, "the kernel log");
        }
    }

    private void Hand(ExternalNotice notice, string via)
    {
        _ = HandAsync(notice, via);
    }

    private async Task HandAsync(ExternalNotice notice, string via)
    {
        try
        {
            var answer = await _intake(notice, via).ConfigureAwait(false);
            if (!answer.Accepted)
            {
                Log.SourceProblem(_log, via, answer.Text);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            Log.SourceProblem(_log, via, $"message {notice.Id} not taken: {e.Message}");
        }
    }

    private Task Guard(string name, Task work) => work.ContinueWith(
        t =>
        {
            if (t.Exception is { } e && !_stop.IsCancellationRequested)
            {
                Log.SourceProblem(_log, name, $"stopped: {e.GetBaseException().Message}");
            }
        },
        CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        var all = Task.WhenAll(_running);
        await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        _stop.Dispose();
    }
}
