using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Palisade.Agents.Tests;

/// <summary>
/// A small Redfish service over HTTPS on 127.0.0.1 (Kestrel, ephemeral port): the Systems collection, its systems
/// and their ComputerSystem.Reset action, behind Basic authentication. A ForceOff passes through PoweringOff for a
/// few reads before Off, so that agents have to poll. Stopped on dispose.
/// </summary>
internal sealed class RedfishServer : IAsyncDisposable
{
    public const string User = "admin";
    public const string Password = "Rf-pa55-Zq81";
    private const string Systems = "/redfish/v1/Systems";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly Dictionary<string, string> _power = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _readsUntilOff = new(StringComparer.Ordinal);

    private RedfishServer(WebApplication app, IEnumerable<string> systemIds, string initialPower)
    {
        _app = app;
        foreach (string id in systemIds)
        {
            _power[id] = initialPower;
        }
    }

    public int Port { get; private set; }

    /// <summary>False: a ForceOff is accepted but the system stays on, as with a hung BMC.</summary>
    public bool TurnsOff { get; set; } = true;

    /// <summary>Reads of the system that still show PoweringOff after a ForceOff.</summary>
    public int ReadsWhilePoweringOff { get; set; } = 2;

    /// <summary>When set, ResetType@Redfish.AllowableValues, and a reset outside them is refused with 400.</summary>
    public IReadOnlyList<string>? AllowedResetTypes { get; set; }

    /// <summary>What a reset is answered with: 204, or 202 with a task monitor as some BMCs do.</summary>
    public int ResetStatus { get; set; } = 204;

    /// <summary>"METHOD path[ ResetType]" of every request, authorised or not.</summary>
    public IReadOnlyList<string> Requests => [.. _requests];

    public static async Task<RedfishServer> StartAsync(
        X509Certificate2 certificate, string initialPower = "On", IEnumerable<string>? systemIds = null, Action<RedfishServer>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        WebApplication app = builder.Build();
        RedfishServer server = new(app, systemIds ?? ["1"], initialPower);
        configure?.Invoke(server);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.Port = new Uri(app.Urls.Single()).Port;
        return server;
    }

    public string PowerOf(string id)
    {
        lock (_gate)
        {
            return _power[id];
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? "/";
        string body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
        string? resetType = body.Length > 0 ? JsonNode.Parse(body)?["ResetType"]?.GetValue<string>() : null;
        _requests.Enqueue(resetType is null ? $"{request.Method} {path}" : $"{request.Method} {path} {resetType}");

        if (!Authorised(request))
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"redfish\"";
            await Error(context, 401, "Base.1.0.InsufficientPrivilege", "Invalid username or password");
            return;
        }

        string[] segments = path.Trim('/').Split('/');
        if (request.Method == "GET" && path == Systems)
        {
            await Json(context, 200, Collection());
        }
        else if (request.Method == "GET" && segments is ["redfish", "v1", "Systems", string id] && Knows(id))
        {
            await Json(context, 200, SystemResource(id));
        }
        else if (request.Method == "POST" && segments is ["redfish", "v1", "Systems", string target, "Actions", "ComputerSystem.Reset"] && Knows(target))
        {
            await ResetAsync(context, target, resetType);
        }
        else
        {
            await Error(context, 404, "Base.1.0.ResourceMissingAtURI", $"{path} is not a resource here");
        }
    }

    private async Task ResetAsync(HttpContext context, string id, string? resetType)
    {
        if (resetType is null || (AllowedResetTypes is { } allowed && !allowed.Contains(resetType)))
        {
            await Error(context, 400, "Base.1.0.ActionParameterNotSupported", $"ResetType {resetType} is not supported");
            return;
        }

        lock (_gate)
        {
            if (resetType == "On")
            {
                _power[id] = "On";
            }
            else if (resetType == "ForceOff" && TurnsOff)
            {
                _power[id] = "PoweringOff";
                _readsUntilOff[id] = ReadsWhilePoweringOff;
            }
        }

        if (ResetStatus == 202)
        {
            context.Response.Headers.Location = "/redfish/v1/TaskService/Tasks/1/Monitor";
            await Json(context, 202, new JsonObject { ["@odata.id"] = "/redfish/v1/TaskService/Tasks/1", ["TaskState"] = "Running" });
            return;
        }

        context.Response.StatusCode = ResetStatus;
    }

    private bool Knows(string id)
    {
        lock (_gate)
        {
            return _power.ContainsKey(id);
        }
    }

    private JsonObject Collection()
    {
        lock (_gate)
        {
            var members = new JsonArray([.. _power.Keys.Order(StringComparer.Ordinal).Select(id => (JsonNode)new JsonObject { ["@odata.id"] = $"{Systems}/{id}" })]);
            return new JsonObject { ["@odata.id"] = Systems, ["Members"] = members, ["Members@odata.count"] = members.Count };
        }
    }

    private JsonObject SystemResource(string id)
    {
        string power;
        lock (_gate)
        {
            if (_power[id] == "PoweringOff" && _readsUntilOff.TryGetValue(id, out int left))
            {
                _readsUntilOff[id] = left - 1;
                _power[id] = left <= 0 ? "Off" : "PoweringOff";
            }

            power = _power[id];
        }

        var reset = new JsonObject { ["target"] = $"{Systems}/{id}/Actions/ComputerSystem.Reset" };
        if (AllowedResetTypes is { } allowed)
        {
            reset["ResetType@Redfish.AllowableValues"] = new JsonArray([.. allowed.Select(v => (JsonNode)JsonValue.Create(v))]);
        }

        return new JsonObject
        {
            ["@odata.id"] = $"{Systems}/{id}",
            ["Id"] = id,
            ["PowerState"] = power,
            ["Actions"] = new JsonObject { ["#ComputerSystem.Reset"] = reset },
        };
    }

    private static bool Authorised(HttpRequest request)
    {
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        return request.Headers.Authorization.ToString() == expected;
    }

    private static Task Error(HttpContext context, int status, string code, string message) =>
        Json(context, status, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["@Message.ExtendedInfo"] = new JsonArray(new JsonObject { ["MessageId"] = code, ["Message"] = message }),
            },
        });

    private static async Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }
}
