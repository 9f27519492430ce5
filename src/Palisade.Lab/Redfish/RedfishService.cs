using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>
/// Answers Redfish requests for the lab's BMCs. The node is the one whose BMC address the request came in
/// on. The version document and the service root are open (Redfish requires that, clients start there);
/// everything else needs HTTP Basic authentication as the lab's BMC user with the IPMI BMC's password.
/// </summary>
internal sealed class RedfishService
{
    private readonly IReadOnlyDictionary<IPAddress, string> nodesByAddress;
    private readonly byte[] credentials;
    private readonly IPowerSwitch power;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly EventServiceEndpoints eventService;

    public RedfishService(
        IReadOnlyDictionary<IPAddress, string> nodesByAddress, string password, IPowerSwitch power, RedfishEventHub events, TimeProvider time, ILogger logger)
    {
        this.nodesByAddress = nodesByAddress;
        credentials = Encoding.UTF8.GetBytes($"{LabBmcAccess.User}:{password}");
        this.power = power;
        this.time = time;
        this.logger = logger;
        eventService = new EventServiceEndpoints(events, time, logger);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var local = context.Connection.LocalIpAddress;
        if (local is null || !nodesByAddress.TryGetValue(local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local, out var node))
        {
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status404NotFound, "Base.1.8.ResourceMissingAtURI", "no lab BMC at this address");
            return;
        }

        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        var method = context.Request.Method;
        if (path is "/redfish" or RedfishResources.Root)
        {
            if (await RedfishHttp.OnlyAsync(context, HttpMethods.Get))
            {
                await RedfishHttp.JsonAsync(context, StatusCodes.Status200OK,
                    path == "/redfish" ? RedfishResources.Versions() : RedfishResources.ServiceRoot(node));
            }

            return;
        }

        if (!Authenticated(context.Request))
        {
            Log.RedfishUnauthorized(logger, node, method, path);
            context.Response.Headers.WWWAuthenticate = $"Basic realm=\"BMC of {node}\"";
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status401Unauthorized, "Base.1.8.NoValidSession",
                "authentication required: HTTP Basic with the BMC user and password");
            return;
        }

        if (EventServiceEndpoints.Serves(path))
        {
            await eventService.HandleAsync(context, node, path);
            return;
        }

        switch (path)
        {
            case RedfishResources.Systems:
                if (await RedfishHttp.OnlyAsync(context, HttpMethods.Get))
                {
                    await RedfishHttp.JsonAsync(context, StatusCodes.Status200OK, RedfishResources.SystemCollection());
                }

                break;
            case RedfishResources.System:
                if (await RedfishHttp.OnlyAsync(context, HttpMethods.Get))
                {
                    await SystemAsync(context, node, ct);
                }

                break;
            case RedfishResources.ResetAction:
                if (await RedfishHttp.OnlyAsync(context, HttpMethods.Post))
                {
                    await ResetAsync(context, node, ct);
                }

                break;
            default:
                await RedfishHttp.ErrorAsync(context, StatusCodes.Status404NotFound, "Base.1.8.ResourceMissingAtURI", $"no resource at {path}");
                break;
        }
    }

    private async Task SystemAsync(HttpContext context, string node, CancellationToken ct)
    {
        bool on;
        try
        {
            on = await power.IsOnAsync(node, ct);
        }
        catch (Exception e) when (e is LabException or TimeoutException)
        {
            Log.RedfishPowerUnknown(logger, node, e.Message);
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status500InternalServerError, "Base.1.8.InternalError", $"cannot read the power state: {e.Message}");
            return;
        }

        await RedfishHttp.JsonAsync(context, StatusCodes.Status200OK, RedfishResources.ComputerSystem(node, on));
    }

    private async Task ResetAsync(HttpContext context, string node, CancellationToken ct)
    {
        var resetType = await ReadResetTypeAsync(context.Request, ct);
        var known = RedfishResources.ResetTypes.Where(r => r.ResetType == resetType).ToList();
        if (known.Count == 0)
        {
            var allowed = string.Join(", ", RedfishResources.ResetTypes.Select(r => r.ResetType));
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status400BadRequest, "Base.1.8.ActionParameterValueNotInList",
                resetType is null
                    ? $"the body must be a JSON object with a string ResetType ({allowed})"
                    : $"ResetType {resetType} is not one of {allowed}");
            return;
        }

        var started = time.GetTimestamp();
        try
        {
            await power.SetAsync(node, known[0].Change, ct);
        }
        catch (Exception e) when (e is LabException or TimeoutException)
        {
            Log.RedfishResetFailed(logger, node, resetType!, e.Message);
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status500InternalServerError, "Base.1.8.InternalError", $"{resetType} failed: {e.Message}");
            return;
        }

        Log.RedfishReset(logger, node, resetType!, (long)time.GetElapsedTime(started).TotalMilliseconds);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>ResetType from a body like {"ResetType": "ForceOff"}; null when the body is not like that.</summary>
    private static async Task<string?> ReadResetTypeAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            return body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("ResetType", out var value)
                && value.ValueKind == JsonValueKind.String
                    ? value.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private bool Authenticated(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        const string Scheme = "Basic ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[Scheme.Length..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        // Constant time: how much of a guess was right must not show in the answer time.
        return CryptographicOperations.FixedTimeEquals(given, credentials);
    }
}
