using System.Globalization;
using System.Text.RegularExpressions;
using Palisade.Lab;

namespace Palisade.Scenarios;

/// <summary>How a failover answered a NIC error message, in milliseconds.</summary>
/// <param name="Reaction">Message accepted until the recovery was ordered (the cluster's own share).</param>
/// <param name="EndToEnd">Message sent until the group was Online on the new node.</param>
/// <param name="ClientDowntime">Last answer from the old node until the first from the new one; -1 when not measured.</param>
public sealed record NicErrorPhases(string From, string To, double Reaction, double EndToEnd, double ClientDowntime);

/// <summary>
/// The node serving a group gets a NIC error message for the interface its service uses, as its server-management
/// layer would send it: the external monitor trips and the group moves with a clean stop and start elsewhere.
/// The steps are narrated from every node's log.
/// </summary>
public sealed partial class NicErrorScenario(LabController lab, ClusterProbe probe, TextWriter? narrate = null)
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [GeneratedRegex(@"\] (message \S+ \(error NIC.*|monitor \S+: recovery of error .*|group \S+: (Stopping|Starting|Online) on .*|group \S+ is Offline.*|group \S+: resource \S+ (start|stop): .*)$")]
    private static partial Regex Step();

    [GeneratedRegex(@"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ")]
    private static partial Regex Stamp();

    public async Task<NicErrorPhases> ReportOwnerNicAsync(string group, string device, IReadOnlyList<string> nodes, ServicePoller? client, CancellationToken ct)
    {
        var owner = await probe.OwnerAsync(group, nodes, ct).ConfigureAwait(false);
        var tails = nodes.ToDictionary(n => n, n => new LogTail(Path.Combine(lab.StatePath, "nodes", n, "log-palisade", "palisaded.log")));
        var sent = DateTime.Now;
        Say(sent, $"{owner} serves {group}; its management layer reports {device} down: palisade notify --category NIC --keyword {device} (on {owner})");
        var notify = await lab.ExecCaptureAsync(owner, ["/usr/local/bin/palisade", "notify", "--category", "NIC", "--keyword", device,
            "--text", $"{device}: link down", "--source", "server management"], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        if (notify.ExitCode != 0)
        {
            throw new InvalidOperationException($"palisade notify on {owner} failed: {notify.Stderr.Trim()}");
        }

        DateTime? accepted = null, ordered = null, online = null;
        string? newOwner = null;
        var deadline = DateTime.UtcNow + Limit;
        while (online is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{group} was not Online on another node within {Limit.TotalSeconds:F0} s after the NIC error on {owner}");
            }

            foreach (var (node, tail) in tails)
            {
                foreach (var line in tail.ReadNew())
                {
                    if (Step().Match(line) is not { Success: true } step || !DateTime.TryParse(Stamp().Match(line).Groups[1].Value, CultureInfo.InvariantCulture, out var at))
                    {
                        continue;
                    }

                    var text = step.Groups[1].Value;
                    // The owner logs every step the cluster takes; the others add only their own resource starts.
                    if (node != owner && !text.Contains(": resource ", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    Say(at, $"{node}: {text}");
                    accepted ??= text.StartsWith("message", StringComparison.Ordinal) ? at : null;
                    ordered ??= text.StartsWith("monitor", StringComparison.Ordinal) ? at : null;
                    if (Regex.Match(text, $@"^group {Regex.Escape(group)}: Online on (\S+):") is { Success: true } on && on.Groups[1].Value != owner)
                    {
                        (online, newOwner) = (at, on.Groups[1].Value);
                    }
                }
            }

            await Task.Delay(25, ct).ConfigureAwait(false);
        }

        var downtime = client is null ? -1 : await ClientDowntimeAsync(client, newOwner!, sent, ct).ConfigureAwait(false);
        var reaction = accepted is { } a && ordered is { } o ? (o - a).TotalMilliseconds : -1;
        return new NicErrorPhases(owner, newOwner!, reaction, (online.Value - sent).TotalMilliseconds, downtime);
    }

    /// <summary>The last answer from any other node until the first from <paramref name="newOwner"/> after <paramref name="since"/>.</summary>
    private async Task<double> ClientDowntimeAsync(ServicePoller client, string newOwner, DateTime since, CancellationToken ct)
    {
        var from = new DateTimeOffset(since).ToUnixTimeMilliseconds();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var polls = client.Polls;
            if (polls.FirstOrDefault(p => p.UnixMs > from && p.Node == newOwner) is { } back)
            {
                Say(DateTimeOffset.FromUnixTimeMilliseconds(back.UnixMs).LocalDateTime, $"client: answered by {newOwner}");
                var lastOld = polls.LastOrDefault(p => p.UnixMs < back.UnixMs && p.Node is not null && p.Node != newOwner);
                return lastOld is null ? -1 : back.UnixMs - lastOld.UnixMs;
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        return -1;
    }

    private void Say(DateTime at, string text) =>
        narrate?.WriteLine($"{at.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}  {text}");
}
