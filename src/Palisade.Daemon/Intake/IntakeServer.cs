using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Json;
using Palisade.Core.Messages;

namespace Palisade.Daemon.Intake;

/// <summary>
/// The node's HTTPS endpoint for remote senders (<c>intake:</c>): <c>POST /v1/notify</c> (a message),
/// <c>POST /v1/failover</c> (move a group on), <c>POST /v1/script</c> (run a request script) and
/// <c>POST /v1/redfish/NODE</c> (a BMC's pushed events). TLS only; every
/// request needs an allowed address and its sender's bearer token. Errors are problem details (RFC 9457).
/// </summary>
internal sealed class IntakeServer : IAsyncDisposable
{
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>Answers as JSON that keeps the reasons readable (quotes are not escaped: no HTML ever embeds it).</summary>
    public static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = DaemonJsonContext.Default,
    };

    private readonly WebApplication _app;

    private IntakeServer(WebApplication app) => _app = app;

    /// <summary>Starts the endpoint; null after logging why it cannot (the cluster runs on without it).</summary>
    public static async Task<IntakeServer?> StartAsync(IntakeConfig config, NodeConfig local, IntakeRequests requests, TimeProvider time, ILogger log)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(config.Certificate, config.Key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            Log.IntakeNotStarted(log, $"certificate {config.Certificate} with key {config.Key}: {e.Message}");
            return null;
        }

        var authority = new SenderAuthority(config, time, out var problems);
        foreach (var problem in problems)
        {
            Log.IntakeSenderUnusable(log, problem);
        }

        var address = IPAddress.Parse(config.ListenOn(local));
        var builder = Api.WebBuilder.Create();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = MaxBodyBytes;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.AddServerHeader = false;
            k.Listen(address, config.Port, l => l.UseHttps(certificate));
        });
        var app = builder.Build();
        var endpoints = new IntakeEndpoints(authority, requests, log);
        app.MapPost("/v1/notify", endpoints.NotifyAsync);
        app.MapPost("/v1/failover", endpoints.FailoverAsync);
        app.MapPost("/v1/script", endpoints.ScriptAsync);
        app.MapPost("/v1/redfish/{node}", (HttpContext context, string node) => endpoints.RedfishAsync(context, node));
        app.MapFallback(context => Problem(context, 404, "no such endpoint (POST /v1/notify, /v1/failover, /v1/script or /v1/redfish/NODE)"));
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Log.IntakeNotStarted(log, $"cannot listen on {address}:{config.Port}: {e.Message}");
            await app.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        Log.IntakeListening(log, $"https://{address}:{config.Port}", authority.Usable);
        return new IntakeServer(app);
    }

    /// <summary>An RFC 9457 problem: <c>application/problem+json</c> with a title and the reason.</summary>
    public static Task Problem(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        var title = status switch
        {
            400 => "bad request",
            401 => "unauthorized",
            403 => "forbidden",
            404 => "not found",
            413 => "request too large",
            429 => "too many failed attempts",
            _ => "request failed",
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(new ProblemAnswer("about:blank", title, status, detail), AnswerJson.Info<ProblemAnswer>()));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
