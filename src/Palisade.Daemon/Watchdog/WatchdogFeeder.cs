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
    private readonly long _opened;
    private readonly TimeSpan _startupGrace;
    private long? _lastFeed;
    private bool _observed;
    private ITimer? _startupTimer;

    public WatchdogFeeder(Stream device, string path, TimeSpan timeout, TimeProvider time, ILogger log)
    {
        _device = device;
        _path = path;
        _timeout = timeout;
        _interval = timeout / 3;
        _time = time;
        _log = log;
        _opened = time.GetTimestamp();
        _startupGrace = timeout * 3 > MinStartupGrace ? timeout * 3 : MinStartupGrace;
    }

    /// <summary>The longest the feeder bridges palisaded's start-up before the host loop's first tick.</summary>
    public static readonly TimeSpan MinStartupGrace = TimeSpan.FromSeconds(60);

    public WatchdogState State { get; private set; } = WatchdogState.Arming;

    public string? StarvingBecause { get; private set; }

    /// <summary>
    /// Feeds the device from a timer until the host loop's first tick: opening armed it, and on a busy machine the
    /// loop may take longer than the timeout to start. If it has not started within the start-up grace, feeding
    /// stops and the node resets, as it would for a loop that hangs later.
    /// </summary>
    public void Start()
    {
        lock (_gate)
        {
            _startupTimer = _time.CreateTimer(_ => Prime(), null, TimeSpan.Zero, _interval);
        }
    }

    /// <summary>One start-up feed (the timer's tick); nothing once the host loop observes.</summary>
    internal void Prime()
    {
        lock (_gate)
        {
            if (_observed || State != WatchdogState.Arming)
            {
                return;
            }

            if (_time.GetElapsedTime(_opened) > _startupGrace)
            {
                Starve($"the host loop did not start within {_startupGrace.TotalSeconds:0} s");
                State = WatchdogState.Starving;
                return;
            }

            if (Due())
            {
                Write(Feed);
            }
        }
    }

    public void Observe(WatchdogFacts facts)
    {
        lock (_gate)
        {
            if (!_observed)
            {
                _observed = true;
                _startupTimer?.Dispose();
            }

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
            _startupTimer?.Dispose();
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
            _startupTimer?.Dispose();
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
