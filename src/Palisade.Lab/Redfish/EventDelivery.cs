using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>
/// The push queue of one subscription: its events go out one at a time, in order, each retried
/// <see cref="RedfishEvents.RetryAttempts"/> times <see cref="RedfishEvents.RetryIntervalSeconds"/> apart before it is
/// dropped. Enqueueing never waits, so the request or power change that made an event is never held up by a slow
/// or dead receiver.
/// </summary>
internal sealed class EventDelivery : IAsyncDisposable
{
    /// <summary>Events waiting for a dead receiver; beyond that the oldest go (each takes ~23 s to give up on).</summary>
    private const int QueueLimit = 256;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(RedfishEvents.RetryIntervalSeconds);

    private readonly string node;
    private readonly EventSubscription subscription;
    private readonly HttpClient http;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Channel<RedfishEvent> queue;
    private readonly CancellationTokenSource stop = new();
    private readonly Task worker;

    public EventDelivery(string node, EventSubscription subscription, HttpClient http, TimeProvider time, ILogger logger)
    {
        this.node = node;
        this.subscription = subscription;
        this.http = http;
        this.time = time;
        this.logger = logger;
        queue = Channel.CreateBounded<RedfishEvent>(
            new BoundedChannelOptions(QueueLimit) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped => Log.RedfishQueueFull(logger, node, QueueLimit, subscription.Id, dropped.Id));
        worker = Task.Run(RunAsync);
    }

    /// <summary>
    /// The client every push goes out with: the receiver's certificate must chain to <paramref name="trust"/> (the lab
    /// CA) and name the destination's host; the system's trust store plays no part.
    /// </summary>
    public static HttpClient CreateClient(X509Certificate2Collection trust)
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            // The lab CA publishes no revocation list.
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.AddRange(trust);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            // A BMC pushes straight onto its management LAN, whatever proxy the lab's environment names.
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy },
        };
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public void Enqueue(RedfishEvent e) => queue.Writer.TryWrite(e);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await stop.CancelAsync();
        try
        {
            await worker;
        }
        catch (OperationCanceledException)
        {
            // The subscription is gone: what was still queued for it goes with it.
        }

        stop.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var e in queue.Reader.ReadAllAsync(stop.Token))
        {
            await DeliverAsync(e);
        }
    }

    private async Task DeliverAsync(RedfishEvent e)
    {
        var body = RedfishEvents.Event(e, subscription.Context).ToJsonString();
        const int Attempts = 1 + RedfishEvents.RetryAttempts;
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            if (attempt > 1)
            {
                await Task.Delay(RetryInterval, time, stop.Token);
            }

            var failure = await AttemptAsync(body);
            if (failure is null)
            {
                return;
            }

            Log.RedfishDeliveryFailed(logger, node, e.Id, subscription.Id, attempt, Attempts, failure);
        }

        Log.RedfishEventDropped(logger, node, e.Id, subscription.Id, Attempts);
    }

    /// <summary>Null once the receiver answered 2xx, else why not (never naming the headers sent).</summary>
    private async Task<string?> AttemptAsync(string body)
    {
        using var deadline = new CancellationTokenSource(AttemptTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop.Token, deadline.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Destination)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in subscription.HttpHeaders)
        {
            // A content header (Content-Type...) cannot replace the event's own; it is left out.
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return $"no answer within {AttemptTimeout.TotalSeconds:0} s";
        }
        catch (HttpRequestException ex)
        {
            return ex.InnerException is null ? ex.Message : $"{ex.Message} ({ex.InnerException.Message})";
        }
    }
}
