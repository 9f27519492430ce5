using System.Diagnostics;
using System.Globalization;

namespace Palisade.Scenarios;

/// <summary>One answer (or its absence) seen by the client.</summary>
public sealed record Poll(long UnixMs, string? Node);

/// <summary>
/// The demo client: a small poller running in the lab's switch namespace (the "outside" network), asking the
/// service every 50 ms which node answers.
/// </summary>
public sealed class ServicePoller : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<Poll> _polls = [];
    private readonly Lock _lock = new();
    private readonly Task _reader;

    private ServicePoller(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadLoop);
    }

    public event Action<Poll>? Answered;

    public static ServicePoller Start(string address, int port, TimeSpan duration, string script = "/opt/palisade/share/examples/demo/poll.py")
    {
        var psi = new ProcessStartInfo("ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", "pal-sw", "/usr/bin/python3", script, address, port.ToString(CultureInfo.InvariantCulture), duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        return new ServicePoller(Process.Start(psi) ?? throw new InvalidOperationException("could not start the poller"));
    }

    public IReadOnlyList<Poll> Polls
    {
        get
        {
            lock (_lock)
            {
                return _polls.ToList();
            }
        }
    }

    /// <summary>The longest stretch without an answer after <paramref name="sinceMs"/>: last answer before to first after.</summary>
    public static (long Millis, string? Before, string? After) Downtime(IReadOnlyList<Poll> polls, long sinceMs)
    {
        var lastUp = polls.LastOrDefault(p => p.UnixMs <= sinceMs && p.Node is not null);
        var firstBack = polls.FirstOrDefault(p => p.UnixMs > sinceMs && p.Node is not null && p.Node != lastUp?.Node);
        if (lastUp is null || firstBack is null)
        {
            return (-1, lastUp?.Node, firstBack?.Node);
        }

        // The outage starts at the first failed poll after the last good one.
        var firstDown = polls.FirstOrDefault(p => p.UnixMs > lastUp.UnixMs && p.Node is null);
        var start = firstDown?.UnixMs ?? lastUp.UnixMs;
        return (firstBack.UnixMs - start, lastUp.Node, firstBack.Node);
    }

    private async Task ReadLoop()
    {
        while (await _process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            var parts = line.Split(' ', 2);
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ms))
            {
                continue;
            }

            var poll = new Poll(ms, parts[1] == "down" ? null : parts[1]);
            lock (_lock)
            {
                _polls.Add(poll);
            }

            Answered?.Invoke(poll);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
        await _reader.ConfigureAwait(false);
        _process.Dispose();
    }
}
