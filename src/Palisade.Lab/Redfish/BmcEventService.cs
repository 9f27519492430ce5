using System.Globalization;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>
/// The event service of one node's Redfish BMC: its subscriptions with their push queues, its event sequence, the
/// last events for SSE clients that reconnect, and the SSE clients listening now.
/// Everything is in memory only, like a real BMC that does not persist subscriptions: a restart of the Redfish
/// BMC process loses them and subscribers have to subscribe again.
/// </summary>
internal sealed class BmcEventService(string node, HttpClient http, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    public const int SubscriptionLimit = 20;
    public const int HistoryLimit = 256;

    private readonly Lock gate = new();
    private readonly List<(EventSubscription Subscription, EventDelivery Delivery)> subscriptions = [];
    private readonly Queue<RedfishEvent> history = new();
    private readonly List<ChannelWriter<RedfishEvent>> listeners = [];
    private long lastEventId;
    private long lastSubscriptionId;

    public string Node => node;

    /// <summary>The new subscription, or null when the BMC already has <see cref="SubscriptionLimit"/>.</summary>
    public EventSubscription? Subscribe(Uri destination, string context, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        EventSubscription subscription;
        lock (gate)
        {
            if (subscriptions.Count >= SubscriptionLimit)
            {
                return null;
            }

            subscription = new EventSubscription((++lastSubscriptionId).ToString(CultureInfo.InvariantCulture), destination, context, headers);
            subscriptions.Add((subscription, new EventDelivery(node, subscription, http, time, logger)));
        }

        Log.RedfishSubscribed(logger, node, subscription.Id, destination.GetLeftPart(UriPartial.Path));
        return subscription;
    }

    public IReadOnlyList<EventSubscription> Subscriptions()
    {
        lock (gate)
        {
            return [.. subscriptions.Select(s => s.Subscription)];
        }
    }

    public EventSubscription? Find(string id)
    {
        lock (gate)
        {
            return subscriptions.Select(s => s.Subscription).FirstOrDefault(s => s.Id == id);
        }
    }

    /// <summary>False when there is no such subscription; otherwise it is gone with its queue.</summary>
    public async Task<bool> UnsubscribeAsync(string id)
    {
        EventDelivery delivery;
        lock (gate)
        {
            var index = subscriptions.FindIndex(s => s.Subscription.Id == id);
            if (index < 0)
            {
                return false;
            }

            delivery = subscriptions[index].Delivery;
            subscriptions.RemoveAt(index);
        }

        await delivery.DisposeAsync();
        Log.RedfishUnsubscribed(logger, node, id);
        return true;
    }

    /// <summary>Numbers the event and hands it to every subscription and SSE client; returns at once.</summary>
    public RedfishEvent Emit(EventMessage message, DateTimeOffset? at = null)
    {
        RedfishEvent e;
        List<EventDelivery> deliveries;
        List<ChannelWriter<RedfishEvent>> streams;
        lock (gate)
        {
            e = new RedfishEvent(++lastEventId, at ?? time.GetUtcNow(), message);
            history.Enqueue(e);
            if (history.Count > HistoryLimit)
            {
                history.Dequeue();
            }

            deliveries = [.. subscriptions.Select(s => s.Delivery)];
            streams = [.. listeners];
        }

        Log.RedfishEventEmitted(logger, node, e.Id, message.MessageId, message.Severity);
        foreach (var delivery in deliveries)
        {
            delivery.Enqueue(e);
        }

        foreach (var stream in streams)
        {
            stream.TryWrite(e);
        }

        return e;
    }

    /// <summary>
    /// Registers an SSE client and returns the kept events after <paramref name="after"/> (none when null), in one
    /// step so that no event falls between the replay and the live stream.
    /// </summary>
    public IReadOnlyList<RedfishEvent> Listen(ChannelWriter<RedfishEvent> listener, long? after)
    {
        lock (gate)
        {
            listeners.Add(listener);
            return after is { } id ? [.. history.Where(e => e.Id > id)] : [];
        }
    }

    public void StopListening(ChannelWriter<RedfishEvent> listener)
    {
        lock (gate)
        {
            listeners.Remove(listener);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<EventDelivery> deliveries;
        lock (gate)
        {
            deliveries = [.. subscriptions.Select(s => s.Delivery)];
            subscriptions.Clear();
        }

        foreach (var delivery in deliveries)
        {
            await delivery.DisposeAsync();
        }
    }
}
