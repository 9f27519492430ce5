using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Control;
using Palisade.Core.Json;
using Palisade.Core.Messages;

namespace Palisade.Daemon.Intake;

/// <summary>What the endpoint hands on to palisaded once a request is authorised and well formed.</summary>
/// <param name="Notify">Journals and publishes a message; the second argument names the channel.</param>
/// <param name="Failover">Moves a group to another node.</param>
/// <param name="Script">Runs a script of the node's request script directory by name.</param>
/// <param name="Redfish">Takes an Event document a BMC pushed about a node; null when that node's BMC is not followed.</param>
internal sealed record IntakeRequests(
    Func<ExternalNotice, string, Task<IntakeAnswer>> Notify,
    Func<string, Task<ControlResponse>> Failover,
    Func<string, Task<ControlResponse>> Script,
    Func<string, ReadOnlyMemory<byte>, string, Task<int>?>? Redfish = null);

/// <summary>The body of <c>POST /v1/notify</c>.</summary>
internal sealed record NotifyBody(string? Category, string? Keyword, string? Severity, string? Text, string? Source, string? Node, string? Id);

/// <summary>The body of <c>POST /v1/failover</c> and <c>POST /v1/script</c>.</summary>
internal sealed record NamedBody(string? Group, string? Script);

/// <summary>The three request handlers: check the sender, read the body, hand it on, answer.</summary>
internal sealed partial class IntakeEndpoints(SenderAuthority authority, IntakeRequests requests, ILogger log)
{
    private static readonly JsonSerializerOptions BodyJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        TypeInfoResolver = DaemonJsonContext.Default,
    };

    public async Task NotifyAsync(HttpContext context)
    {
        if (await AuthoriseAsync(context, IntakeAction.Notify) is not { } sender || await ReadAsync<NotifyBody>(context) is not { } body)
        {
            return;
        }

        NoticeSeverity severity;
        switch (body.Severity ?? "error")
        {
            case "error": severity = NoticeSeverity.Error; break;
            case "warning": severity = NoticeSeverity.Warning; break;
            case "clear": severity = NoticeSeverity.Clear; break;
            default:
                await IntakeServer.Problem(context, 400, "message refused: severity must be error, warning or clear");
                return;
        }

        var remote = context.Connection.RemoteIpAddress;
        var source = string.IsNullOrEmpty(body.Source) ? $"{sender.Name} ({remote})" : $"{sender.Name}: {body.Source}";
        var notice = new ExternalNotice(body.Category ?? "", body.Keyword, severity, body.Text ?? "", source, body.Node, body.Id ?? "");
        var answer = await requests.Notify(notice, $"HTTPS from {remote} (sender {sender.Name})");
        if (!answer.Accepted)
        {
            await IntakeServer.Problem(context, 400, answer.Text);
            return;
        }

        await Ok(context, answer.Text);
    }

    public async Task FailoverAsync(HttpContext context)
    {
        if (await AuthoriseAsync(context, IntakeAction.Failover) is not { } sender || await ReadAsync<NamedBody>(context) is not { } body)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.Group))
        {
            await IntakeServer.Problem(context, 400, "failover needs a group");
            return;
        }

        Log.IntakeRequest(log, sender.Name, context.Connection.RemoteIpAddress?.ToString() ?? "?", $"failover of group {body.Group}");
        await Answer(context, await requests.Failover(body.Group));
    }

    public async Task ScriptAsync(HttpContext context)
    {
        if (await AuthoriseAsync(context, IntakeAction.Script) is not { } sender || await ReadAsync<NamedBody>(context) is not { } body)
        {
            return;
        }

        if (string.IsNullOrEmpty(body.Script))
        {
            await IntakeServer.Problem(context, 400, "script needs the name of a script");
            return;
        }

        Log.IntakeRequest(log, sender.Name, context.Connection.RemoteIpAddress?.ToString() ?? "?", $"script {body.Script}");
        await Answer(context, await requests.Script(body.Script));
    }

    private async Task<IntakeSender?> AuthoriseAsync(HttpContext context, IntakeAction action)
    {
        var check = authority.Check(context.Connection.RemoteIpAddress, context.Request.Headers.Authorization.FirstOrDefault(), action);
        if (check.Sender is { } sender)
        {
            return sender;
        }

        Log.IntakeDenied(log, check.Denied!);
        await IntakeServer.Problem(context, check.Status, check.Denied!);
        return null;
    }

    /// <summary>The body's bytes, or null after answering why they cannot be read (too large, not UTF-8).</summary>
    private static async Task<byte[]?> ReadBytesAsync(HttpContext context)
    {
        if (context.Request.ContentLength > IntakeServer.MaxBodyBytes)
        {
            await IntakeServer.Problem(context, 413, $"the body is {context.Request.ContentLength} bytes (at most {IntakeServer.MaxBodyBytes})");
            return null;
        }

        byte[] bytes;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            bytes = buffer.ToArray();
        }
        catch (BadHttpRequestException e)
        {
            await IntakeServer.Problem(context, e.StatusCode, e.Message);
            return null;
        }

        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            await IntakeServer.Problem(context, 400, "the body is not valid UTF-8");
            return null;
        }

        return bytes;
    }

    /// <summary>The JSON body, or null after answering why it cannot be read (too large, not UTF-8, not the fields expected).</summary>
    private static async Task<T?> ReadAsync<T>(HttpContext context)
        where T : class
    {
        if (await ReadBytesAsync(context) is not { } bytes)
        {
            return null;
        }

        try
        {
            var body = JsonSerializer.Deserialize(bytes, BodyJson.Info<T>());
            if (body is null)
            {
                await IntakeServer.Problem(context, 400, "the body must be a JSON object");
            }

            return body;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            await IntakeServer.Problem(context, 400, $"the body is not the JSON expected: {e.Message}");
            return null;
        }
    }

    private static Task Answer(HttpContext context, ControlResponse response) =>
        response.Ok ? Ok(context, response.Message ?? "done") : IntakeServer.Problem(context, 400, response.Error ?? "refused");

    private static Task Ok(HttpContext context, string message)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new OkAnswer(true, message), IntakeServer.AnswerJson.Info<OkAnswer>()));
    }
}
