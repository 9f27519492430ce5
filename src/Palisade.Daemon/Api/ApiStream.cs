using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Core.Control;
using Palisade.Daemon.Intake;

namespace Palisade.Daemon.Api;

/// <summary>
/// <c>GET /api/v1/stream</c> (role view): Server-Sent Events of every change of the replicated state, each with the
/// state version after it as its id (the same on every node). A new client first gets a <c>snapshot</c> event (the
/// cluster as <c>GET /api/v1/cluster</c> shows it); one that sends <c>Last-Event-ID</c> gets the changes after it
/// instead, while this node still keeps them (else a snapshot). Then one <c>change</c> event per change, and a comment
/// every 15 s so proxies keep the connection.
/// </summary>
internal static class ApiStream
{
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static void Map(WebApplication app, ApiAuthority authority, EventFeed feed, Func<ControlRequest, Task<ControlResponse>> submit, ILogger log)
    {
        app.MapGet("/api/v1/stream", async context =>
        {
            if (await authority.AdmitAsync(context, ApiRole.View, log) is null)
            {
                return;
            }

            long? lastId = long.TryParse(context.Request.Headers["Last-Event-ID"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
            // Subscribed before the snapshot is taken, so no change falls between the two.
            using var subscription = feed.Subscribe(lastId);
            var seen = lastId ?? -1;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            var ct = context.RequestAborted;
            if (subscription.Replay is { } replay)
            {
                foreach (var change in replay)
                {
                    await WriteAsync(context, change.Version, "change", Change(change), ct);
                    seen = change.Version;
                }
            }
            else if ((await submit(new ControlRequest("status"))).Status is { } status)
            {
                await WriteAsync(context, status.Version, "snapshot", ApiViews.Cluster(status), ct);
                seen = status.Version;
            }

            await context.Response.Body.FlushAsync(ct);
            try
            {
                while (true)
                {
                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    wait.CancelAfter(KeepAlive);
                    bool more;
                    try
                    {
                        more = await subscription.Live.WaitToReadAsync(wait.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        await context.Response.WriteAsync(": keep-alive\n\n", ct);
                        await context.Response.Body.FlushAsync(ct);
                        continue;
                    }

                    if (!more)
                    {
                        return; // this node took the state anew, or the client fell too far behind: it resumes
                    }

                    while (subscription.Live.TryRead(out var change))
                    {
                        if (change.Version > seen)
                        {
                            await WriteAsync(context, change.Version, "change", Change(change), ct);
                            seen = change.Version;
                        }
                    }

                    await context.Response.Body.FlushAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // the client went away
            }
        });
    }

    /// <summary><c>GET /api/v1/changes?after=ID&amp;limit=N</c>: the kept changes after an id as one JSON answer (the stream's replay, for pages and scripts).</summary>
    public static void MapChanges(WebApplication app, Func<HttpContext, Task<Core.Status.StatusReport?>> readable, EventFeed feed)
    {
        app.MapGet("/api/v1/changes", async context =>
        {
            if (await readable(context) is not { } s || ApiQuery.Limit(context) is not { } limit)
            {
                return;
            }

            var afterText = context.Request.Query["after"].FirstOrDefault();
            if (!long.TryParse(afterText ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var after))
            {
                await IntakeServer.Problem(context, 400, $"after must be a state version (a whole number), got '{afterText}'");
                return;
            }

            var (changes, complete) = feed.Since(after, limit);
            var body = ApiViews.Envelope(s);
            body["complete"] = complete;
            body["changes"] = new JsonArray([.. changes.Select(c => (JsonNode)Change(c))]);
            await ApiViews.WriteAsync(context, body);
        });
    }

    private static JsonObject Change(FeedEvent e) => new()
    {
        ["version"] = e.Version,
        ["at"] = e.At.ToString("O", CultureInfo.InvariantCulture),
        ["kind"] = e.Kind,
        ["notes"] = new JsonArray([.. e.Notes.Select(n => (JsonNode)n)]),
    };

    private static Task WriteAsync(HttpContext context, long id, string kind, JsonObject data, CancellationToken ct) =>
        context.Response.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"id: {id}\nevent: {kind}\ndata: {data.ToJsonString()}\n\n"), ct);
}
