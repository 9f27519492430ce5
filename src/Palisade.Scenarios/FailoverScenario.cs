using System.Globalization;
using Palisade.Lab;

namespace Palisade.Scenarios;

/// <summary>How long each part of one failover took, in milliseconds.</summary>
/// <param name="Detection">Power-off until corosync reported the node gone.</param>
/// <param name="FenceAgent">Time the shutdown agent took to confirm power off.</param>
/// <param name="ResourceStart">Time the resource agents took to start the group on the new node.</param>
/// <param name="EndToEnd">Power-off until the group was Online on the new node.</param>
/// <param name="Overhead">Palisade's own share: everything in <paramref name="EndToEnd"/> not spent in the three above.</param>
/// <param name="ClientDowntime">Last answer from the old node until the first from the new one, as the client saw it; -1 when not measured.</param>
public sealed record FailoverPhases(
    string Lost,
    string NewOwner,
    double Detection,
    double FenceAgent,
    double ResourceStart,
    double EndToEnd,
    double Overhead,
    double ClientDowntime);

/// <summary>
/// Powers off the node that runs a group, through its BMC, and follows detection, fencing and recovery in the
/// survivors' logs until the group is Online elsewhere.
/// </summary>
public sealed class FailoverScenario(LabController lab, ClusterProbe probe, TextWriter? narrate = null)
{
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    public async Task<FailoverPhases> PowerOffOwnerAsync(string group, IReadOnlyList<string> nodes, ServicePoller? client, CancellationToken ct)
    {
        var owner = await probe.OwnerAsync(group, nodes, ct).ConfigureAwait(false);
        var survivors = nodes.Where(n => n != owner).ToList();
        var logs = survivors.ToDictionary(n => n, n => new LogTail(Path.Combine(lab.StatePath, "nodes", n, "log-palisade", "palisaded.log")));
        var start = DateTime.Now;
        Say(start, $"{owner} runs {group}; powering {owner} off through its BMC (IPMI chassis power off)");
        await lab.PowerAsync(owner, "off", ct).ConfigureAwait(false);
        var killedAt = PowerOffTime(owner) ?? start;
        Say(killedAt, $"{owner} is off: every process of the node is gone");

        var seen = new Dictionary<(DaemonEventKind, string, string?), DaemonEvent>();
        var deadline = DateTime.UtcNow + Limit;
        DaemonEvent? online = null;
        while (online is null)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{group} was not Online on another node within {Limit.TotalSeconds:F0} s after {owner} was powered off");
            }

            foreach (var (node, tail) in logs)
            {
                foreach (var e in DaemonLog.Parse(node, tail.ReadNew()))
                {
                    if (seen.TryAdd((e.Kind, e.Subject, e.Where), e))
                    {
                        Say(e.At, $"{e.Node}: {Message(e.Line)}");
                    }

                    if (e.Kind == DaemonEventKind.GroupOnline && e.Subject == group && e.Where != owner)
                    {
                        online ??= e;
                    }
                }
            }

            await Task.Delay(25, ct).ConfigureAwait(false);
        }

        var downtime = client is null ? -1 : await ClientDowntimeAsync(client, online.Where!, killedAt, ct).ConfigureAwait(false);
        return Phases(group, owner, online, killedAt, seen.Values.ToList(), downtime);
    }

    private DateTime? PowerOffTime(string node)
    {
        var off = Ledger.Read(lab.LedgerPath).LastOrDefault(e => e.Node == node && e.Action == "power-off");
        return off is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(off.UnixMs).LocalDateTime;
    }

    private async Task<double> ClientDowntimeAsync(ServicePoller client, string newOwner, DateTime killedAt, CancellationToken ct)
    {
        var since = new DateTimeOffset(killedAt).ToUnixTimeMilliseconds();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var polls = client.Polls;
            if (polls.Any(p => p.UnixMs > since && p.Node == newOwner))
            {
                var (ms, _, _) = ServicePoller.Downtime(polls, since);
                var back = polls.First(p => p.UnixMs > since && p.Node == newOwner);
                Say(DateTimeOffset.FromUnixTimeMilliseconds(back.UnixMs).LocalDateTime, $"client: answered by {newOwner}");
                return ms;
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }

        return -1;
    }

    private static FailoverPhases Phases(string group, string owner, DaemonEvent online, DateTime killedAt, List<DaemonEvent> events, double downtime)
    {
        DaemonEvent? First(DaemonEventKind k, string subject) =>
            events.Where(e => e.Kind == k && e.Subject == subject).MinBy(e => e.At);
        var lost = First(DaemonEventKind.NodeLost, owner);
        var detection = lost is null ? 0 : (lost.At - killedAt).TotalMilliseconds;
        var fence = events.Where(e => e.Kind == DaemonEventKind.FenceAgent && e.Subject == owner && e.Where!.EndsWith(":Success", StringComparison.Ordinal))
            .Select(e => (double)e.Millis!.Value).FirstOrDefault();
        var starting = First(DaemonEventKind.GroupStarting, group);
        var resources = events
            .Where(e => e.Kind == DaemonEventKind.ResourceStarted && e.Subject == group && starting is not null && e.At >= starting.At.AddMilliseconds(-1))
            .Sum(e => (double)e.Millis!.Value);
        var endToEnd = (online.At - killedAt).TotalMilliseconds;
        return new FailoverPhases(owner, online.Where!, detection, fence, resources, endToEnd, endToEnd - detection - fence - resources, downtime);
    }

    private void Say(DateTime at, string text) =>
        narrate?.WriteLine($"{at.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)}  {text}");

    private static string Message(string line)
    {
        var bracket = line.IndexOf("] ", 24, StringComparison.Ordinal);
        return bracket < 0 ? line : line[(bracket + 2)..];
    }
}
