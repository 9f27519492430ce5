using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Watchdog;

/// <summary>Where a simulated watchdog stands.</summary>
internal enum SimulatedWatchdogState
{
    /// <summary>No writer has opened the device yet (the node is off, or palisaded has not started).</summary>
    Idle,

    /// <summary>A writer opened it: it must be fed within the timeout.</summary>
    Armed,

    /// <summary>Its writer wrote the magic character and closed: it waits for the next writer.</summary>
    Disarmed,

    /// <summary>It was not fed in time and reset the node; it waits for the next writer.</summary>
    Fired,
}

/// <summary>
/// A lab node's watchdog: a FIFO the node's palisaded writes to, read here outside the node. It arms when a writer
/// opens the FIFO, as a Linux watchdog arms on open; every byte feeds it; a writer that writes 'V' and closes disarms
/// it; a writer that closes otherwise (a crash) leaves it armed. Unfed for longer than the timeout, it resets the node
/// through the node's power control (the power script its BMCs use), which works even when the BMCs are off the network.
/// </summary>
internal sealed class SimulatedWatchdog(string node, string fifo, TimeSpan timeout, string powerScript, string ledger, TimeProvider time, ILogger log)
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan PowerLimit = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private SimulatedWatchdogState _state = SimulatedWatchdogState.Idle;
    private long _lastFeed;
    private bool _fed;

    public async Task RunAsync(CancellationToken ct)
    {
        var reading = new Thread(ReadLoop) { IsBackground = true, Name = $"watchdog {node}" };
        reading.Start();
        Log.WatchdogWatching(log, node, fifo, timeout.TotalSeconds);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(CheckInterval, time, ct).ConfigureAwait(false);
                if (Expired() is { } unfed)
                {
                    await ResetAsync(unfed, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // lab down or SIGTERM: the reading thread is a background thread and ends with the process
        }
    }

    private TimeSpan? Expired()
    {
        lock (_gate)
        {
            var unfed = time.GetElapsedTime(_lastFeed);
            if (_state != SimulatedWatchdogState.Armed || unfed <= timeout)
            {
                return null;
            }

            _state = SimulatedWatchdogState.Fired;
            return unfed;
        }
    }

    private async Task ResetAsync(TimeSpan unfed, CancellationToken ct)
    {
        // A machine that is off has its watchdog off too (its palisaded died with it): nothing to reset.
        var (_, status, _) = await PowerAsync(["get", "power"], ct).ConfigureAwait(false);
        if (status.Trim() == "power:0")
        {
            Log.WatchdogNodeOff(log, node);
            return;
        }

        Log.WatchdogFiring(log, node, (long)unfed.TotalMilliseconds);
        await File.AppendAllTextAsync(ledger,
            string.Create(CultureInfo.InvariantCulture, $"{time.GetUtcNow().ToUnixTimeMilliseconds()} {node} watchdog-reset\n"), ct).ConfigureAwait(false);
        var (code, _, stderr) = await PowerAsync(["set", "reset", "1"], ct).ConfigureAwait(false);
        Log.WatchdogReset(log, node, code, stderr.Trim());
    }

    /// <summary>Runs the node's power script (as its BMCs do): exit code, stdout, stderr.</summary>
    private async Task<(int Code, string Stdout, string Stderr)> PowerAsync(string[] request, CancellationToken ct)
    {
        using var power = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(powerScript, [node, .. request])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(PowerLimit);
        var stderr = power.StandardError.ReadToEndAsync(limit.Token);
        var stdout = await power.StandardOutput.ReadToEndAsync(limit.Token).ConfigureAwait(false);
        await power.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        return (power.ExitCode, stdout, await stderr.ConfigureAwait(false));
    }

    /// <summary>Blocking reads on their own thread: opening a FIFO for reading waits for a writer.</summary>
    private void ReadLoop()
    {
        var buffer = new byte[256];
        while (true)
        {
            try
            {
                using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
                Opened();
                var expectClose = false;
                int n;
                while ((n = stream.Read(buffer)) > 0)
                {
                    expectClose = buffer[n - 1] == (byte)'V';
                    Fed();
                }

                Closed(expectClose);
            }
            catch (IOException e)
            {
                Log.WatchdogReadFailed(log, node, e.Message);
                Thread.Sleep(CheckInterval); // the FIFO was removed (lab down): avoid spinning until the process ends
            }
        }
    }

    private void Opened()
    {
        lock (_gate)
        {
            _state = SimulatedWatchdogState.Armed;
            _lastFeed = time.GetTimestamp();
            _fed = false;
        }

        Log.WatchdogArmed(log, node);
    }

    private void Fed()
    {
        TimeSpan? first = null;
        lock (_gate)
        {
            if (!_fed)
            {
                first = time.GetElapsedTime(_lastFeed);
                _fed = true;
            }

            _lastFeed = time.GetTimestamp();
        }

        if (first is { } after)
        {
            Log.WatchdogFirstFeed(log, node, (long)after.TotalMilliseconds);
        }
    }

    private void Closed(bool magic)
    {
        lock (_gate)
        {
            if (_state != SimulatedWatchdogState.Armed)
            {
                return; // it already fired: the node's power off closed the writer
            }

            if (magic)
            {
                _state = SimulatedWatchdogState.Disarmed;
            }
        }

        if (magic)
        {
            Log.WatchdogDisarmed(log, node);
        }
        else
        {
            Log.WatchdogClosedArmed(log, node, timeout.TotalSeconds);
        }
    }
}
