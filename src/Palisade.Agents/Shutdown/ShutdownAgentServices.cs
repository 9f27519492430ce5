using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>
/// What every shutdown agent of one process shares: logging, time and long-lived listeners (one kdump listener per
/// UDP port). Create one per process and dispose it when the daemon stops: that closes the listeners.
/// </summary>
/// <param name="localAddresses">
/// This node's own cluster addresses (interconnect and admin): the only addresses listeners bind. Without any, an
/// agent that must listen (kdump) is not configured.
/// </param>
public sealed class ShutdownAgentServices(ILoggerFactory loggers, TimeProvider time, IEnumerable<IPAddress> localAddresses) : IDisposable, IAsyncDisposable
{
    /// <summary>For a process whose agents only act and never listen.</summary>
    public ShutdownAgentServices(ILoggerFactory loggers, TimeProvider time)
        : this(loggers, time, [])
    {
    }

    private readonly Lock _gate = new();
    private readonly Dictionary<int, KdumpListener> _kdumpListeners = [];
    private readonly ConcurrentDictionary<string, bool> _notices = new(StringComparer.Ordinal);
    private bool _disposed;

    public ILoggerFactory Loggers { get; } = loggers;

    public TimeProvider Time { get; } = time;

    /// <summary>A node's own cluster addresses, interconnect links first, then admin: what its listeners bind.</summary>
    public static IEnumerable<IPAddress> AddressesOf(Palisade.Core.Configuration.NodeConfig node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Interconnect.Append(node.Admin).OfType<string>()
            .Select(a => IPAddress.TryParse(a, out var address) ? address : null).OfType<IPAddress>();
    }

    /// <summary>The addresses listeners bind, in the order given, without repeats.</summary>
    public ImmutableArray<IPAddress> LocalAddresses { get; } = [.. localAddresses.Distinct()];

    /// <summary>The nodes' signs of life, kept by the daemon; the watchdog agent cannot work without it.</summary>
    public INodeLiveness? Liveness { get; set; }

    /// <summary>The process's listener for fence_kdump announcements on <paramref name="port"/>; it binds on first use.</summary>
    internal KdumpListener KdumpListener(int port)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_kdumpListeners.TryGetValue(port, out KdumpListener? listener))
            {
                listener = new KdumpListener(port, LocalAddresses, Loggers.CreateLogger("Palisade.Agents.Kdump"), Time);
                _kdumpListeners[port] = listener;
            }

            return listener;
        }
    }

    /// <summary>True the first time a notice is asked for: a warning repeated at every fencing attempt would be noise.</summary>
    internal bool FirstNotice(string key) => _notices.TryAdd(key, true);

    public void Dispose()
    {
        foreach (KdumpListener listener in TakeListeners())
        {
            listener.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (KdumpListener listener in TakeListeners())
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }
    }

    private KdumpListener[] TakeListeners()
    {
        lock (_gate)
        {
            _disposed = true;
            KdumpListener[] listeners = [.. _kdumpListeners.Values];
            _kdumpListeners.Clear();
            return listeners;
        }
    }
}
