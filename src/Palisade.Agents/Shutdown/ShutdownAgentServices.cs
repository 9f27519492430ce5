using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>
/// What every shutdown agent of one process shares: logging, time and long-lived listeners (one kdump listener per
/// UDP port). Create one per process and dispose it when the daemon stops: that closes the listeners.
/// </summary>
public sealed class ShutdownAgentServices(ILoggerFactory loggers, TimeProvider time) : IDisposable, IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, KdumpListener> _kdumpListeners = [];
    private readonly ConcurrentDictionary<string, bool> _notices = new(StringComparer.Ordinal);
    private bool _disposed;

    public ILoggerFactory Loggers { get; } = loggers;

    public TimeProvider Time { get; } = time;

    /// <summary>The nodes' signs of life, kept by the daemon; the watchdog agent cannot work without it.</summary>
    public INodeLiveness? Liveness { get; init; }

    /// <summary>The process's listener for fence_kdump announcements on <paramref name="port"/>; it binds on first use.</summary>
    internal KdumpListener KdumpListener(int port)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_kdumpListeners.TryGetValue(port, out KdumpListener? listener))
            {
                listener = new KdumpListener(port, Loggers.CreateLogger("Palisade.Agents.Kdump"), Time);
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
