using Microsoft.Extensions.Logging;

namespace Palisade.Daemon;

/// <summary>
/// Feeds a watchdog device (a Linux /dev/watchdog, or the lab's simulated one) every third of its timeout while the
/// node is healthy. Once the node is not (corosync lost, quorum lost, or the yielding side of a two-node split) it
/// stops for good: the device resets the node, which is what the survivors' watchdog agent counts on.
/// </summary>
internal sealed class WatchdogFeeder : IWatchdog
{
    /// <summary>What a feed writes; anything but the magic character will do.</summary>
    private const byte Feed = (byte)'1';

    /// <summary>Linux's magic close character: written just before close, it disarms the device.</summary>
    private const byte MagicClose = (byte)'V';

    private readonly Stream _device;
    private readonly string _path;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private long? _lastFeed;

    public WatchdogFeeder(Stream device, string path, TimeSpan timeout, TimeProvider time, ILogger log)
    {
        _device = device;
        _path = path;
        _timeout = timeout;
        _interval = timeout / 3;
        _time = time;
        _log = log;
    }

    public WatchdogState State { get; private set; } = WatchdogState.Arming;

    public string? StarvingBecause { get; private set; }

    public void Observe(WatchdogFacts facts)
    {
        lock (_gate)
        {
            State = Next(facts);
            if (State is WatchdogState.Arming or WatchdogState.Feeding && Due())
            {
                Write(Feed);
            }
        }
    }

    public void Disarm()
    {
        lock (_gate)
        {
            if (State is WatchdogState.Starving or WatchdogState.Disarmed)
            {
                if (State == WatchdogState.Starving)
                {
                    WatchdogLog.LeavingArmed(_log, _path, StarvingBecause ?? "", _timeout.TotalSeconds);
                }

                _device.Dispose();
                return;
            }

            try
            {
                _device.Write([MagicClose]);
                _device.Flush();
                State = WatchdogState.Disarmed;
                WatchdogLog.Disarmed(_log, _path);
            }
            catch (IOException e)
            {
                WatchdogLog.WriteFailed(_log, _path, e.Message);
            }
            finally
            {
                _device.Dispose();
            }
        }
    }

    /// <summary>Closes without the magic character: the device stays armed (a crash does the same).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _device.Dispose();
        }
    }

    private WatchdogState Next(WatchdogFacts facts)
    {
        var problem = facts.Problem;
        switch (State)
        {
            case WatchdogState.Arming when !facts.CorosyncAlive || facts.Yielding is not null:
            case WatchdogState.Feeding when problem is not null:
                Starve(problem!);
                return WatchdogState.Starving;
            case WatchdogState.Arming when facts.Quorate:
                WatchdogLog.Healthy(_log, _path, _interval.TotalMilliseconds);
                return WatchdogState.Feeding;
            default:
                return State;
        }
    }

    private bool Due() => _lastFeed is not { } last || _time.GetElapsedTime(last) >= _interval;

    private void Write(byte value)
    {
        try
        {
            _device.Write([value]);
            _device.Flush();
            _lastFeed = _time.GetTimestamp();
        }
        catch (IOException e)
        {
            WatchdogLog.WriteFailed(_log, _path, e.Message);
            Starve($"writing to {_path} failed: {e.Message}");
            State = WatchdogState.Starving;
        }
    }

    private void Starve(string why)
    {
        StarvingBecause = why;
        WatchdogLog.Starving(_log, _path, why, _timeout.TotalSeconds);
    }
}
