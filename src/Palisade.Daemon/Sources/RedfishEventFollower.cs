using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Palisade.Agents;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Signals.Redfish;

namespace Palisade.Daemon.Sources;

/// <summary>
/// Follows the EventService of one other node's BMC. Push: keeps a subscription there whose destination is this
/// node's HTTPS intake (made again when the BMC forgot it, removed when palisaded stops). Stream: reads the BMC's
/// server-sent events, reconnecting with the last id seen. Events become messages about that node.
/// </summary>
internal sealed class RedfishEventFollower
{
    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(30);

    private readonly RedfishEventClient _client;
    private readonly string _node;
    private readonly Func<ExternalNotice, string, Task> _hand;
    private readonly TimeProvider _time;
    private readonly ILogger _log;

    public RedfishEventFollower(RedfishEventClient client, string node, Func<ExternalNotice, string, Task> hand, TimeProvider time, ILogger log)
    {
        _client = client;
        _node = node;
        _hand = hand;
        _time = time;
        _log = log;
    }

    /// <summary>The intake path the BMC of <paramref name="node"/> posts to.</summary>
    public static string PushPath(string node) => $"/v1/redfish/{node}";

    /// <summary>Keeps a subscription until <paramref name="ct"/> is cancelled, then removes it.</summary>
    public async Task KeepSubscribedAsync(Uri destination, string context, string token, CancellationToken ct)
    {
        string? path = null;
        var said = "";
        try
        {
            while (!ct.IsCancellationRequested)
            {
                if (path is null || await _client.ExistsAsync(path, ct).ConfigureAwait(false) == false)
                {
                    if (path is not null)
                    {
                        Log.SourceProblem(_log, Name, $"the BMC of {_node} no longer has subscription {path} (restarted?): subscribing again");
                    }

                    var (made, problem) = await _client.SubscribeAsync(destination, context, token, ct).ConfigureAwait(false);
                    path = made;
                    if (made is not null)
                    {
                        Log.SourceStarted(_log, Name, $"the BMC of {_node} ({_client.Endpoint}) pushes to {destination} (subscription {made})");
                        said = "";
                    }
                    else if (problem != said)
                    {
                        // Said once per distinct problem: a BMC that is off answers nothing for as long as it is off.
                        Log.SourceProblem(_log, Name, $"cannot subscribe to the BMC of {_node} ({_client.Endpoint}): {problem}; trying again every {Retry.TotalSeconds:0} s");
                        said = problem;
                    }
                }

                await Task.Delay(path is null ? Retry : CheckEvery, _time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // palisaded stops: remove the subscription below.
        }

        if (path is not null)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2), _time);
            try
            {
                await _client.UnsubscribeAsync(path, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The next start removes it (same context).
            }
        }
    }

    /// <summary>Reads the BMC's event stream until <paramref name="ct"/> is cancelled, reconnecting after a break.</summary>
    public async Task FollowStreamAsync(CancellationToken ct)
    {
        string? last = null;
        var said = "";
        while (!ct.IsCancellationRequested)
        {
            var ended = await _client.StreamAsync(last, async (data, id) =>
            {
                last = id ?? last;
                await OnDocumentAsync(Encoding.UTF8.GetBytes(data), "Redfish event stream").ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
            if (ct.IsCancellationRequested)
            {
                return;
            }

            if (ended != said)
            {
                Log.SourceProblem(_log, Name, $"{ended}; reconnecting every {Retry.TotalSeconds:0} s");
                said = ended;
            }

            try
            {
                await Task.Delay(Retry, _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One Event document from the BMC: each record it knows becomes a message about the node. Throws <see cref="JsonException"/> for a document that is not an Event.</summary>
    public async Task<int> OnDocumentAsync(ReadOnlyMemory<byte> json, string via)
    {
        var taken = 0;
        foreach (var record in RedfishEvent.ParseDocument(json.Span))
        {
            if (RedfishMessageMap.Map(record, _node, via) is { } notice)
            {
                await _hand(notice, $"{via} from the BMC of {_node}").ConfigureAwait(false);
                taken++;
            }
            else
            {
                Log.RedfishEventIgnored(_log, _node, record.MessageId, record.EventId);
            }
        }

        return taken;
    }

    private static string Name => "redfish events";

    /// <summary>The context that marks this node's subscriptions (an earlier run's are replaced).</summary>
    public static string Context(string cluster, string local) => string.Create(CultureInfo.InvariantCulture, $"palisade {cluster} {local}");
}
