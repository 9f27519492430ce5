using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>The event services of every lab BMC (each node's BMC has its own), and the client they push with.</summary>
internal sealed class RedfishEventHub : IAsyncDisposable
{
    private readonly HttpClient http;
    private readonly CancellationTokenSource stopping = new();
    private readonly IReadOnlyDictionary<string, BmcEventService> services;

    /// <param name="trust">The CA receivers' certificates must chain to: the lab CA.</param>
    public RedfishEventHub(IEnumerable<string> nodes, X509Certificate2Collection trust, TimeProvider time, ILogger logger)
    {
        http = EventDelivery.CreateClient(trust);
        services = nodes.ToDictionary(n => n, n => new BmcEventService(n, http, time, logger), StringComparer.Ordinal);
    }

    public BmcEventService For(string node) => services[node];

    /// <summary>Cancelled by <see cref="Stop"/>: SSE streams end with it, or they would hold up the server's shutdown.</summary>
    public CancellationToken Stopping => stopping.Token;

    public void Stop() => stopping.Cancel();

    /// <summary>The event a power ledger line stands for, on that node's BMC; lines of other nodes or words are skipped.</summary>
    public void Emit(LedgerEntry entry)
    {
        if (services.TryGetValue(entry.Node, out var service) && RedfishEvents.FromLedger(entry.What) is { } message)
        {
            service.Emit(message, entry.At);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        foreach (var service in services.Values)
        {
            await service.DisposeAsync();
        }

        http.Dispose();
        stopping.Dispose();
    }
}
