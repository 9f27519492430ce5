using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>
/// The SSE stream of a BMC's events: "id: N" and "data: " the Event on one line, then a blank line. A client that
/// reconnects with Last-Event-ID gets the kept events it missed first.
/// </summary>
internal static class ServerSentEvents
{
    /// <summary>A comment line this often keeps proxies and clients from taking a quiet stream for a dead one.</summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    private static readonly byte[] KeepAlive = Encoding.UTF8.GetBytes(": keep-alive\n\n");

    /// <summary>Streams until the client goes away or <paramref name="stopping"/> (the server stops).</summary>
    public static async Task StreamAsync(HttpContext context, BmcEventService bmc, TimeProvider time, ILogger logger, CancellationToken stopping)
    {
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        var ct = ends.Token;

        // A client that reads too slowly loses the oldest events, not the BMC's memory; Last-Event-ID recovers them.
        var pending = Channel.CreateBounded<RedfishEvent>(
            new BoundedChannelOptions(BmcEventService.HistoryLimit) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        var replay = bmc.Listen(pending.Writer, LastEventId(context.Request));
        Log.RedfishEventStream(logger, bmc.Node, "opened", replay.Count);
        try
        {
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await context.Response.StartAsync(ct);
            await context.Response.Body.FlushAsync(ct);
            foreach (var e in replay)
            {
                await WriteAsync(context.Response, e, ct);
            }

            while (!ct.IsCancellationRequested)
            {
                if (await WaitAsync(pending.Reader, time, ct))
                {
                    while (pending.Reader.TryRead(out var e))
                    {
                        await WriteAsync(context.Response, e, ct);
                    }
                }
                else
                {
                    await context.Response.Body.WriteAsync(KeepAlive, ct);
                    await context.Response.Body.FlushAsync(ct);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The client went away.
        }
        finally
        {
            bmc.StopListening(pending.Writer);
            Log.RedfishEventStream(logger, bmc.Node, "closed", replay.Count);
        }
    }

    /// <summary>True when an event is ready, false when the keep-alive interval passed without one.</summary>
    private static async Task<bool> WaitAsync(ChannelReader<RedfishEvent> reader, TimeProvider time, CancellationToken ct)
    {
        using var quiet = new CancellationTokenSource(KeepAliveInterval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, quiet.Token);
        try
        {
            return await reader.WaitToReadAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task WriteAsync(HttpResponse response, RedfishEvent e, CancellationToken ct)
    {
        var id = e.Id.ToString(CultureInfo.InvariantCulture);
        var frame = $"id: {id}\ndata: {RedfishEvents.Event(e, context: "").ToJsonString()}\n\n";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(frame), ct);
        await response.Body.FlushAsync(ct);
    }

    private static long? LastEventId(HttpRequest request) =>
        long.TryParse(request.Headers["Last-Event-ID"].ToString().Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : null;
}
