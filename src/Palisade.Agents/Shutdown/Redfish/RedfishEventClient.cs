using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;

namespace Palisade.Agents;

/// <summary>
/// A node's BMC EventService, reached with the address and credentials of the node's <c>redfish</c> or <c>irmc</c>
/// shutdown agent: subscriptions that make the BMC push its events, and its server-sent event stream. Each call
/// builds its own session, so a rotated password or CA file is used at the next call.
/// </summary>
public sealed class RedfishEventClient
{
    private const string EventServicePath = "/redfish/v1/EventService";
    private const string SubscriptionsPath = EventServicePath + "/Subscriptions";
    private static readonly TimeSpan CallLimit = TimeSpan.FromSeconds(10);

    private readonly RedfishSettings _settings;
    private readonly AgentParameters _parameters;
    private readonly string _node;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    private RedfishEventClient(RedfishSettings settings, AgentParameters parameters, string node, ILogger logger, TimeProvider time)
    {
        _settings = settings;
        _parameters = parameters;
        _node = node;
        _logger = logger;
        _time = time;
    }

    /// <summary>"address:port" of the BMC, for logs.</summary>
    public string Endpoint => _settings.Endpoint;

    /// <summary>The client for <paramref name="agent"/> (a redfish or irmc agent of <paramref name="node"/>), or null with why not.</summary>
    public static RedfishEventClient? Create(ShutdownAgentConfig agent, string node, ILogger logger, TimeProvider time, out string problem)
    {
        ArgumentNullException.ThrowIfNull(agent);
        problem = "";
        if (agent.Type is not ("redfish" or "irmc") || ShutdownAgentCatalog.Find(agent.Type) is not { } spec)
        {
            problem = $"{node}: shutdown agent {agent.Type} is not a Redfish BMC";
            return null;
        }

        var parameters = new AgentParameters(spec, agent.Parameters);
        if (parameters.Validate() is { Count: > 0 } problems)
        {
            problem = $"{node}: shutdown agent {agent.Type}: {string.Join("; ", problems)}";
            return null;
        }

        return new RedfishEventClient(RedfishSettings.From(parameters), parameters, node, logger, time);
    }

    /// <summary>
    /// Makes the BMC push its events to <paramref name="destination"/> with <paramref name="token"/> as bearer: first
    /// removes the subscriptions of an earlier run (the same <paramref name="context"/>), then subscribes. Returns the
    /// new subscription's path, or null and why.
    /// </summary>
    public async Task<(string? Path, string Problem)> SubscribeAsync(Uri destination, string context, string token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (session, problem) = Open();
        if (session is null)
        {
            return (null, problem);
        }

        using (session)
        {
            foreach (var stale in await OursAsync(session, context, ct).ConfigureAwait(false))
            {
                await session.DeleteAsync(stale, CallLimit, ct).ConfigureAwait(false);
            }

            var body = new JsonObject
            {
                ["Destination"] = destination.AbsoluteUri,
                ["Protocol"] = "Redfish",
                ["Context"] = context,
                ["EventFormatType"] = "Event",
                ["HttpHeaders"] = new JsonArray(new JsonObject { ["Authorization"] = $"Bearer {token}" }),
            };
            var reply = await session.PostAsync(SubscriptionsPath, body.ToJsonString(), CallLimit, ct).ConfigureAwait(false);
            if (!reply.Succeeded)
            {
                return (null, Scrub(reply.Problem, token));
            }

            var path = reply.Text("@odata.id") ?? (reply.Location is { } location ? new Uri(location, UriKind.RelativeOrAbsolute) is { IsAbsoluteUri: true } a ? a.AbsolutePath : location : null);
            return path is null ? (null, $"POST {SubscriptionsPath} -> {reply.Status} without the new subscription's path") : (path, "");
        }
    }

    /// <summary>Whether the subscription still exists (a BMC restart forgets them); null when the BMC did not say.</summary>
    public async Task<bool?> ExistsAsync(string path, CancellationToken ct)
    {
        var (session, _) = Open();
        if (session is null)
        {
            return null;
        }

        using (session)
        {
            var reply = await session.GetAsync(path, CallLimit, ct).ConfigureAwait(false);
            return reply.Succeeded ? true : reply.Status == 404 ? false : null;
        }
    }

    /// <summary>Removes a subscription; the problem when the BMC did not.</summary>
    public async Task<string> UnsubscribeAsync(string path, CancellationToken ct)
    {
        var (session, problem) = Open();
        if (session is null)
        {
            return problem;
        }

        using (session)
        {
            var reply = await session.DeleteAsync(path, CallLimit, ct).ConfigureAwait(false);
            return reply.Succeeded || reply.Status == 404 ? "" : reply.Problem;
        }
    }

    /// <summary>
    /// Reads the BMC's event stream until it ends or <paramref name="ct"/> is cancelled, handing each event's data
    /// and id on. Returns why it ended (empty when cancelled).
    /// </summary>
    public async Task<string> StreamAsync(string? lastEventId, Func<string, string?, Task> onEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var (session, problem) = Open();
        if (session is null)
        {
            return problem;
        }

        using (session)
        {
            var service = await session.GetAsync(EventServicePath, CallLimit, ct).ConfigureAwait(false);
            if (!service.Succeeded)
            {
                return service.Problem;
            }

            if (service.Text("ServerSentEventUri") is not { Length: > 0 } uri)
            {
                return $"the BMC of {_node} offers no event stream (no ServerSentEventUri)";
            }

            var (stream, openProblem) = await session.OpenStreamAsync(uri, lastEventId, CallLimit, ct).ConfigureAwait(false);
            if (stream is null)
            {
                return openProblem;
            }

            using (stream)
            {
                Log.RedfishStreamOpen(_logger, _node, _settings.Endpoint, uri);
                try
                {
                    await using var body = await stream.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
                    return await ServerSentEvents.ReadAsync(body, onEvent, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException or HttpRequestException)
                {
                    return $"the event stream of {_node} broke: {session.Redactor.Scrub(e.Message)}";
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    return "";
                }
            }
        }
    }

    /// <summary>Paths of the subscriptions an earlier run of this node left (same context).</summary>
    private static async Task<List<string>> OursAsync(RedfishSession session, string context, CancellationToken ct)
    {
        var list = await session.GetAsync(SubscriptionsPath, CallLimit, ct).ConfigureAwait(false);
        var ours = new List<string>();
        if (!list.Succeeded || !list.Body.TryGetProperty("Members", out var members) || members.ValueKind != JsonValueKind.Array)
        {
            return ours;
        }

        foreach (var member in members.EnumerateArray())
        {
            if (member.ValueKind == JsonValueKind.Object && member.TryGetProperty("@odata.id", out var id) && id.GetString() is { } path)
            {
                var one = await session.GetAsync(path, CallLimit, ct).ConfigureAwait(false);
                if (one.Succeeded && one.Text("Context") == context)
                {
                    ours.Add(path);
                }
            }
        }

        return ours;
    }

    private (RedfishSession? Session, string Problem) Open()
    {
        var (password, problem) = _parameters.ReadSecret();
        if (password is null)
        {
            return (null, $"{_node}: {problem ?? "no password"}");
        }

        var (policy, policyProblem) = RedfishCertificatePolicy.Load(_settings);
        return policy is null ? (null, $"{_node}: {policyProblem}") : (new RedfishSession(_settings, password, policy, _node, _logger, _time), "");
    }

    private static string Scrub(string text, string token) => text.Replace(token, "***", StringComparison.Ordinal);
}
