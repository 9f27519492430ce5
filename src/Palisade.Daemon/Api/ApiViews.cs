using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Core.Status;

namespace Palisade.Daemon.Api;

/// <summary>
/// The API's answers, built from the status this node holds. Every answer says which node answered, the partition
/// it is in (the members it sees), whether that partition has quorum and the state version it reflects: two nodes of
/// a split answer differently, and say so.
/// </summary>
internal static class ApiViews
{
    public static JsonObject Envelope(StatusReport s) => new()
    {
        ["answered_by"] = s.LocalNode,
        ["cluster"] = s.Cluster,
        ["partition"] = new JsonArray([.. s.Nodes.Where(n => n.Member).Select(n => (JsonNode)n.Name)]),
        ["quorate"] = s.Quorate,
        ["coordinator"] = s.Coordinator,
        ["phase"] = s.Phase,
        ["state_version"] = s.Version,
        ["maintenance"] = s.Maintenance,
    };

    public static JsonObject Cluster(StatusReport s)
    {
        var body = Envelope(s);
        body["nodes"] = Nodes(s);
        body["groups"] = Groups(s);
        body["waiting"] = new JsonArray([.. s.Waiting.Select(w => (JsonNode)w)]);
        return body;
    }

    public static JsonArray Nodes(StatusReport s) => new([.. s.Nodes.Select(n => (JsonNode)new JsonObject
    {
        ["name"] = n.Name,
        ["id"] = n.Id,
        ["state"] = n.State,
        ["member"] = n.Member,
        ["reason"] = n.Reason,
        ["since"] = n.Since,
        ["standby"] = n.Standby,
        ["standby_by"] = n.StandbyBy,
    })]);

    public static JsonArray Groups(StatusReport s) => new([.. s.Groups.Select(g => (JsonNode)new JsonObject
    {
        ["name"] = g.Name,
        ["state"] = g.State,
        ["node"] = g.Node,
        ["target"] = g.Target,
        ["move_to"] = g.MoveTo,
        ["reason"] = g.Reason,
        ["since"] = g.Since,
        ["resources"] = new JsonArray([.. g.Resources.Select(r => (JsonNode)new JsonObject { ["name"] = r.Name, ["state"] = r.State })]),
    })]);

    public static JsonArray Monitors(StatusReport s) => new([.. s.Monitors.Select(m => (JsonNode)new JsonObject
    {
        ["name"] = m.Name,
        ["type"] = m.Type,
        ["status"] = new JsonObject([.. m.Status.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
    })]);

    public static JsonArray Resources(StatusReport s) => new([.. s.Groups.SelectMany(g => g.Resources.Select(r => (JsonNode)new JsonObject
    {
        ["group"] = g.Name,
        ["name"] = r.Name,
        ["kind"] = r.Kind,
        ["state"] = r.State,
        ["node"] = g.Node,
    }))]);

    public static JsonArray History(IEnumerable<FenceRecord> history) => new([.. history.Select(h => (JsonNode)new JsonObject
    {
        ["target"] = h.Target,
        ["by"] = h.By,
        ["agent"] = h.Agent,
        ["action"] = h.Action,
        ["started"] = h.Started,
        ["duration_ms"] = h.DurationMs,
        ["result"] = h.Result.ToString(),
        ["reason"] = h.Reason,
    })]);

    public static JsonArray Reachability(StatusReport s) => new([.. s.Reachability.Select(r => (JsonNode)new JsonObject
    {
        ["tester"] = r.Tester,
        ["target"] = r.Target,
        ["index"] = r.Index,
        ["agent"] = r.Agent,
        ["result"] = r.Result,
        ["last_worked"] = r.LastWorked,
    })]);

    public static JsonArray Incidents(IEnumerable<Incident> incidents) => new([.. incidents.Select(i => (JsonNode)new JsonObject
    {
        ["id"] = i.Id,
        ["kind"] = i.Kind.ToString().ToLowerInvariant(),
        ["subject"] = i.Subject,
        ["cause"] = i.Cause,
        ["groups"] = new JsonArray([.. i.Groups.Select(g => (JsonNode)g)]),
        ["detected"] = i.Detected,
        ["closed"] = i.Closed,
        ["outcome"] = i.Outcome,
        ["duration_ms"] = i.Duration is { } d ? (long)d.TotalMilliseconds : null,
        ["phases"] = new JsonArray([.. i.Phases.Select((p, n) => (JsonNode)new JsonObject
        {
            ["phase"] = p.Phase,
            ["at"] = p.At,
            ["version"] = p.Version,
            ["after_detected_ms"] = (long)(p.At - i.Detected).TotalMilliseconds,
            ["after_previous_ms"] = n == 0 ? 0 : (long)(p.At - i.Phases[n - 1].At).TotalMilliseconds,
            ["detail"] = p.Detail,
        })]),
    })]);

    public static JsonArray Events(IEnumerable<JournalEntry> entries) => new([.. entries.Select(e => (JsonNode)new JsonObject
    {
        ["id"] = e.Notice.Id,
        ["received"] = e.Received,
        ["received_by"] = e.ReceivedBy,
        ["node"] = e.Notice.Node ?? e.ReceivedBy,
        ["category"] = e.Notice.Category,
        ["keyword"] = e.Notice.Keyword,
        ["severity"] = e.Notice.Severity.ToString().ToLowerInvariant(),
        ["text"] = e.Notice.Text,
        ["source"] = e.Notice.Source,
        ["held"] = e.Held,
        ["repeats"] = e.Repeats,
    })]);

    /// <summary>Writes an answer as JSON with the status code given.</summary>
    public static Task WriteAsync(HttpContext context, JsonObject body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    public static JsonObject With(StatusReport s, string name, JsonNode value)
    {
        var body = Envelope(s);
        body[name] = value;
        return body;
    }
}
