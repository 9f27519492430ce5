using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>The EventService part of a lab BMC: the service, its subscriptions, SSE and SubmitTestEvent.</summary>
internal sealed class EventServiceEndpoints(RedfishEventHub events, TimeProvider time, ILogger logger)
{
    private const string SubscriptionPrefix = RedfishEvents.Subscriptions + "/";

    public static bool Serves(string path) =>
        path == RedfishEvents.Service || path.StartsWith(RedfishEvents.Service + "/", StringComparison.Ordinal);

    /// <summary>Answers an authenticated request for a path <see cref="Serves"/> accepts.</summary>
    public async Task HandleAsync(HttpContext context, string node, string path)
    {
        var bmc = events.For(node);
        switch (path)
        {
            case RedfishEvents.Service:
                if (await RedfishHttp.OnlyAsync(context, HttpMethods.Get))
                {
                    await RedfishHttp.JsonAsync(context, StatusCodes.Status200OK, RedfishEvents.EventService());
                }

                break;
            case RedfishEvents.Subscriptions:
                if (!await RedfishHttp.OnlyAsync(context, HttpMethods.Get, HttpMethods.Post))
                {
                    break;
                }

                if (HttpMethods.IsGet(context.Request.Method))
                {
                    await RedfishHttp.JsonAsync(context, StatusCodes.Status200OK, RedfishEvents.SubscriptionCollection(bmc.Subscriptions()));
                }
                else
                {
                    await SubscribeAsync(context, bmc);
                }

                break;
            case RedfishEvents.ServerSentEvents:
                if (await RedfishHttp.OnlyAsync(context, HttpMethods.Get))
                {
                    await ServerSentEvents.StreamAsync(context, bmc, time, logger, events.Stopping);
                }

                break;
            case RedfishEvents.SubmitTestEvent:
                if (await RedfishHttp.OnlyAsync(context, HttpMethods.Post))
                {
                    await SubmitTestEventAsync(context, bmc);
                }

                break;
            case var one when one.StartsWith(SubscriptionPrefix, StringComparison.Ordinal) && !one[SubscriptionPrefix.Length..].Contains('/'):
                await SubscriptionAsync(context, bmc, one[SubscriptionPrefix.Length..]);
                break;
            default:
                await RedfishHttp.ErrorAsync(context, StatusCodes.Status404NotFound, "Base.1.8.ResourceMissingAtURI", $"no resource at {path}");
                break;
        }
    }

    private static async Task SubscribeAsync(HttpContext context, BmcEventService bmc)
    {
        var body = await RedfishHttp.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status400BadRequest, "Base.1.8.MalformedJSON", "the body must be a JSON object");
            return;
        }

        if (!EventRequests.TryParseSubscription(body, out var request, out var error))
        {
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status400BadRequest, error.Code, error.Message);
            return;
        }

        var subscription = bmc.Subscribe(request.Destination, request.Context, request.HttpHeaders);
        if (subscription is null)
        {
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status400BadRequest, "Base.1.8.CreateLimitReachedForResource",
                $"this BMC keeps at most {BmcEventService.SubscriptionLimit} subscriptions; delete one first");
            return;
        }

        context.Response.Headers.Location = RedfishEvents.SubscriptionPath(subscription.Id);
        await RedfishHttp.JsonAsync(context, StatusCodes.Status201Created, RedfishEvents.EventDestination(subscription));
    }

    private static async Task SubscriptionAsync(HttpContext context, BmcEventService bmc, string id)
    {
        if (!await RedfishHttp.OnlyAsync(context, HttpMethods.Get, HttpMethods.Delete))
        {
            return;
        }

        if (HttpMethods.IsGet(context.Request.Method) && bmc.Find(id) is { } subscription)
        {
            await RedfishHttp.JsonAsync(context, StatusCodes.Status200OK, RedfishEvents.EventDestination(subscription));
        }
        else if (HttpMethods.IsDelete(context.Request.Method) && await bmc.UnsubscribeAsync(id))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status404NotFound, "Base.1.8.ResourceMissingAtURI", $"no subscription {id}");
        }
    }

    private static async Task SubmitTestEventAsync(HttpContext context, BmcEventService bmc)
    {
        var body = await RedfishHttp.ReadObjectAsync(context.Request, context.RequestAborted);
        if (body is null)
        {
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status400BadRequest, "Base.1.8.MalformedJSON", "the body must be a JSON object");
            return;
        }

        if (!EventRequests.TryParseTestEvent(body, out var message, out var error))
        {
            await RedfishHttp.ErrorAsync(context, StatusCodes.Status400BadRequest, error.Code, error.Message);
            return;
        }

        bmc.Emit(message);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
