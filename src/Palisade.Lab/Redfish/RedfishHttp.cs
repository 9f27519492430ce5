using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Palisade.Lab.Redfish;

/// <summary>How a lab BMC answers: JSON bodies with the OData version header, Redfish error bodies, 405s.</summary>
internal static class RedfishHttp
{
    private const string JsonType = "application/json; charset=utf-8";

    /// <summary>True if the request uses one of <paramref name="methods"/>; otherwise answers 405 and returns false.</summary>
    public static async Task<bool> OnlyAsync(HttpContext context, params string[] methods)
    {
        if (methods.Any(m => HttpMethods.Equals(context.Request.Method, m)))
        {
            return true;
        }

        var allowed = string.Join(", ", methods);
        context.Response.Headers.Allow = allowed;
        await ErrorAsync(context, StatusCodes.Status405MethodNotAllowed, "Base.1.8.OperationNotAllowed",
            $"{context.Request.Method} is not allowed here; use {allowed}");
        return false;
    }

    public static Task ErrorAsync(HttpContext context, int status, string code, string message) =>
        JsonAsync(context, status, RedfishResources.Error(code, message));

    public static async Task JsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = JsonType;
        context.Response.Headers["OData-Version"] = "4.0";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    /// <summary>The request body as a JSON object, or null when it is not one (malformed, empty, an array...).</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: ct) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
