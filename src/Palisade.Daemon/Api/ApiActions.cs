using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Control;
using Palisade.Core.Planning;
using Palisade.Daemon.Intake;

namespace Palisade.Daemon.Api;

/// <summary>
/// The API's actions: <c>POST /api/v1/groups/{g}/start|stop|move|cleanup</c> (<c>?to=NODE</c> for move,
/// <c>?node=NODE</c> for cleanup), <c>POST /api/v1/monitors/{m}/suspend|resume|clear</c> (<c>?node=NODE</c>) and
/// <c>POST /api/v1/nodes/{n}/standby|online</c>, role operate; <c>POST /api/v1/maintenance/on|off</c>, role admin; <c>POST /api/v1/fencing/{n}/kill</c>, role admin. Each goes through the same checks as the CLI's
/// request on the control socket; <c>?dry_run=true</c> answers with the plan the coordinator would make and sends
/// nothing. A refused request is a problem detail (404 for an unknown name, 409 otherwise); every call is logged
/// with the token's name, never the token.
/// </summary>
internal static class ApiActions
{
    public static void Map(WebApplication app, ApiAuthority authority, Func<ControlRequest, Task<ControlResponse>> submit, ILogger log)
    {
        // One route per action (the slim host has no regex route constraints).
        foreach (var action in new[] { "start", "stop", "move", "cleanup" })
        {
            app.MapPost($"/api/v1/groups/{{group}}/{action}", (HttpContext context, string group) =>
                Act(context, ApiRole.Operate, dryRun => action switch
                {
                    "move" => new ControlRequest("group", action, group, context.Request.Query["to"].FirstOrDefault(), DryRun: dryRun),
                    "cleanup" => new ControlRequest("group", action, group, context.Request.Query["node"].FirstOrDefault(), DryRun: dryRun),
                    _ => new ControlRequest("group", action, group, DryRun: dryRun),
                }));
        }

        foreach (var action in new[] { "suspend", "resume", "clear" })
        {
            app.MapPost($"/api/v1/monitors/{{monitor}}/{action}", (HttpContext context, string monitor) =>
                Act(context, ApiRole.Operate, dryRun => new ControlRequest("monitor", action, Uri.UnescapeDataString(monitor), Target: context.Request.Query["node"].FirstOrDefault(), DryRun: dryRun)));
        }

        foreach (var action in new[] { "standby", "online" })
        {
            app.MapPost($"/api/v1/nodes/{{node}}/{action}", (HttpContext context, string node) =>
                Act(context, ApiRole.Operate, dryRun => new ControlRequest("node", action, Target: node, DryRun: dryRun)));
        }

        foreach (var action in new[] { "on", "off" })
        {
            app.MapPost($"/api/v1/maintenance/{action}", (HttpContext context) =>
                Act(context, ApiRole.Admin, dryRun => new ControlRequest("maintenance", action, DryRun: dryRun)));
        }

        app.MapPost("/api/v1/fencing/{node}/kill", (HttpContext context, string node) =>
            Act(context, ApiRole.Admin, dryRun => new ControlRequest("sd", "kill", Target: node, DryRun: dryRun)));

        async Task Act(HttpContext context, ApiRole role, Func<bool, ControlRequest> request)
        {
            if (await authority.AdmitAsync(context, role, log) is not { } token)
            {
                return;
            }

            if (DryRun(context.Request.Query["dry_run"].FirstOrDefault()) is not { } dryRun)
            {
                await IntakeServer.Problem(context, 400, "dry_run must be true or false");
                return;
            }

            var answer = await submit(request(dryRun));
            Log.ApiAction(log, "POST", context.Request.Path + context.Request.QueryString, token.Name, context.Connection.RemoteIpAddress?.ToString() ?? "?",
                answer.Ok ? answer.Message ?? "done" : "refused: " + answer.Error);
            if (!answer.Ok)
            {
                var error = answer.Error ?? "refused";
                await IntakeServer.Problem(context, error.StartsWith("unknown ", StringComparison.Ordinal) ? 404 : 409, error);
                return;
            }

            var status = (await submit(new ControlRequest("status"))).Status;
            var body = status is null ? new JsonObject() : ApiViews.Envelope(status);
            body["dry_run"] = dryRun;
            body["message"] = answer.Message;
            if (answer.Preview is { } preview)
            {
                body["preview"] = Preview(preview);
            }

            await ApiViews.WriteAsync(context, body, dryRun ? 200 : 202);
        }
    }

    private static bool? DryRun(string? value) => value switch
    {
        null or "false" or "0" => false,
        "true" or "1" or "" => true,
        _ => null,
    };

    private static JsonObject Preview(Preview preview) => new()
    {
        ["changes"] = new JsonArray([.. preview.Changes.Select(c => (JsonNode)c)]),
        ["steps"] = new JsonArray([.. preview.Steps.Select(s => (JsonNode)new JsonObject
        {
            ["action"] = s.Action,
            ["group"] = s.Group,
            ["node"] = s.Node,
            ["text"] = s.Text,
        })]),
        ["waiting"] = new JsonArray([.. preview.Waiting.Select(w => (JsonNode)w)]),
    };
}
