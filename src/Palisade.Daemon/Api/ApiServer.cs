using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Control;
using Palisade.Core.Status;
using Palisade.Daemon.Intake;

namespace Palisade.Daemon.Api;

/// <summary>What the API reads and acts on in palisaded.</summary>
/// <param name="Submit">Hands a request to palisaded as the control socket does (status, group, monitor, sd).</param>
/// <param name="Feed">The state changes this node applies, for the event stream.</param>
/// <param name="JournalPath">The node's journal of accepted messages, once the intake has a place on disk.</param>
/// <param name="Fences">Fence operations this node saw recorded, for metrics.</param>
internal sealed record ApiBackend(Func<ControlRequest, Task<ControlResponse>> Submit, EventFeed Feed, Func<string?> JournalPath, FenceMetrics Fences, IncidentTracker Incidents, Alerts.AlertMetrics? Alerts = null)
{
    public long JournalBytes() => JournalPath() is { } path && File.Exists(path) ? new FileInfo(path).Length : 0;
}

/// <summary>
/// The node's HTTP API (<c>api:</c>): <c>GET /api/v1/cluster|nodes|groups|resources|monitors|fencing/history|events</c>
/// (role view; the last two take <c>?node=</c> and <c>?limit=</c>, newest first),
/// <c>GET /api/v1/groups/{g}/active</c> (no token: 200 on the node where the group is Online, 503 elsewhere, for
/// load balancers), <c>GET /metrics</c> (role view), the event stream of <see cref="ApiStream"/> and the actions of
/// <see cref="ApiActions"/>. Errors are problem
/// details (RFC 9457).
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServer(WebApplication app) => _app = app;

    /// <summary>Starts the API; null after logging why it cannot (the cluster runs on without it).</summary>
    public static async Task<ApiServer?> StartAsync(ApiConfig config, NodeConfig local, ApiBackend backend, TimeProvider time, ILogger log)
    {
        X509Certificate2? certificate = null;
        if (config.Certificate is { } cert && config.Key is { } key)
        {
            try
            {
                certificate = X509Certificate2.CreateFromPemFile(cert, key);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                Log.ApiNotStarted(log, $"certificate {cert} with key {key}: {e.Message}");
                return null;
            }
        }

        var authority = new ApiAuthority(config, time, out var problems);
        foreach (var problem in problems)
        {
            Log.ApiTokenUnusable(log, problem);
        }

        var address = IPAddress.Parse(config.ListenOn(local));
        var app = Build(address, config.Port, certificate, authority, backend, log);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Log.ApiNotStarted(log, $"cannot listen on {address}:{config.Port}: {e.Message}");
            await app.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        Log.ApiListening(log, $"{(certificate is null ? "http" : "https")}://{address}:{config.Port}", authority.Usable);
        return new ApiServer(app);
    }

    /// <summary>The API with every endpoint mapped, not listening yet.</summary>
    internal static WebApplication Build(IPAddress address, int port, X509Certificate2? certificate, ApiAuthority authority, ApiBackend backend, ILogger log)
    {
        var submit = backend.Submit;
        async Task<StatusReport?> status() => (await submit(new ControlRequest("status")).ConfigureAwait(false)).Status;
        var builder = WebBuilder.Create();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 16 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.AddServerHeader = false;
            k.Listen(address, port, l =>
            {
                if (certificate is not null)
                {
                    l.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception e) when (e is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                // Kestrel's own logging is off: a failure is logged here, and the client gets a problem detail.
                Log.ApiFailed(log, context.Request.Method, context.Request.Path, e.Message);
                if (!context.Response.HasStarted)
                {
                    await IntakeServer.Problem(context, 500, "palisaded could not answer this request; its log says why");
                }
            }
        });

        // A read for role view: the caller checked, the status fetched, then the answer written; null when refused.
        async Task<StatusReport?> Readable(HttpContext context)
        {
            if (await authority.AdmitAsync(context, ApiRole.View, log) is null)
            {
                return null;
            }

            if (await status() is not { } s)
            {
                await IntakeServer.Problem(context, 503, "palisaded does not answer yet");
                return null;
            }

            return s;
        }

        async Task Read(HttpContext context, Func<StatusReport, JsonObject> view)
        {
            if (await Readable(context) is { } s)
            {
                await ApiViews.WriteAsync(context, view(s));
            }
        }

        app.MapGet("/api/v1/cluster", context => Read(context, ApiViews.Cluster));
        app.MapGet("/api/v1/nodes", context => Read(context, s => ApiViews.With(s, "nodes", ApiViews.Nodes(s))));
        app.MapGet("/api/v1/groups", context => Read(context, s => ApiViews.With(s, "groups", ApiViews.Groups(s))));
        app.MapGet("/api/v1/monitors", context => Read(context, s => ApiViews.With(s, "monitors", ApiViews.Monitors(s))));
        app.MapGet("/api/v1/groups/{group}/active", async (HttpContext context, string group) =>
        {
            if (await status() is not { } s || s.Groups.FirstOrDefault(g => g.Name == group) is not { } g)
            {
                await IntakeServer.Problem(context, 404, $"no group '{group}' here");
                return;
            }

            var active = g.State == "Online" && g.Node == s.LocalNode && s.Quorate;
            var body = ApiViews.Envelope(s);
            body["group"] = group;
            body["active"] = active;
            body["node"] = g.Node;
            await ApiViews.WriteAsync(context, body, active ? 200 : 503);
        });
        app.MapGet("/metrics", async context =>
        {
            if (await Readable(context) is { } s)
            {
                context.Response.ContentType = PrometheusText.ContentType;
                var paths = (await submit(new ControlRequest("sd", "state"))).Sd?.Rows;
                await context.Response.WriteAsync(PrometheusText.Render(s, backend.JournalBytes(), backend.Fences, paths, backend.Incidents, backend.Alerts));
            }
        });
        app.MapGet("/api/v1/resources", context => Read(context, s => ApiViews.With(s, "resources", ApiViews.Resources(s))));
        app.MapGet("/api/v1/fencing/history", async context =>
        {
            if (await Readable(context) is not { } s || ApiQuery.Limit(context) is not { } limit)
            {
                return;
            }

            var node = context.Request.Query["node"].FirstOrDefault();
            var answer = await submit(new ControlRequest("sd", "history", Target: node));
            if (!answer.Ok || answer.Sd?.History is not { } history)
            {
                await IntakeServer.Problem(context, node is not null && answer.Error?.StartsWith("unknown node", StringComparison.Ordinal) == true ? 404 : 503, answer.Error ?? "no fence history");
                return;
            }

            await ApiViews.WriteAsync(context, ApiViews.With(s, "history", ApiViews.History(history.OrderByDescending(h => h.Started).Take(limit))));
        });
        app.MapGet("/api/v1/events", async context =>
        {
            if (await Readable(context) is not { } s || ApiQuery.Limit(context) is not { } limit)
            {
                return;
            }

            var node = context.Request.Query["node"].FirstOrDefault();
            var entries = backend.JournalPath() is { } path ? JournalTail.Read(path, limit, e => node is null || (e.Notice.Node ?? e.ReceivedBy) == node) : [];
            await ApiViews.WriteAsync(context, ApiViews.With(s, "events", ApiViews.Events(entries)));
        });
        app.MapPost("/api/v1/login", context => authority.LoginAsync(context, log));
        app.MapPost("/api/v1/logout", async context =>
        {
            if (await authority.AdmitAsync(context, ApiRole.View, log) is not null)
            {
                var bearer = context.Request.Headers.Authorization.FirstOrDefault()?["Bearer ".Length..].Trim() ?? "";
                context.Response.StatusCode = authority.Logins?.Logout(bearer) == true ? 204 : 409;
                if (context.Response.StatusCode == 409)
                {
                    await IntakeServer.Problem(context, 409, "this token is not a login session (a token from a file cannot be logged out)");
                }
            }
        });
        app.MapGet("/api/v1/fencing/reachability", context => Read(context, s => ApiViews.With(s, "reachability", ApiViews.Reachability(s))));
        app.MapGet("/api/v1/incidents", async context =>
        {
            if (await Readable(context) is { } s && ApiQuery.Limit(context) is { } limit)
            {
                await ApiViews.WriteAsync(context, ApiViews.With(s, "incidents", ApiViews.Incidents(backend.Incidents.Snapshot().Take(limit))));
            }
        });
        ApiActions.Map(app, authority, submit, log);
        ApiStream.Map(app, authority, backend.Feed, submit, log);
        ApiStream.MapChanges(app, Readable, backend.Feed);
        WebView.Map(app);
        app.MapGet("/api/v1/openapi.json", async context =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(OpenApiDocument.Text);
        });
        app.MapFallback(context => IntakeServer.Problem(context, 404, "no such endpoint (see GET /api/v1/openapi.json: GET /api/v1/cluster, nodes, groups, resources, monitors, fencing/history, fencing/reachability, events, incidents, groups/GROUP/active, stream; GET /metrics; POST /api/v1/groups/GROUP/start|stop|move|cleanup, monitors/MONITOR/suspend|resume|clear, nodes/NODE/standby|online, maintenance/on|off, fencing/NODE/kill)"));
        return app;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
