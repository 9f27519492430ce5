using System.Net;
using System.Net.NetworkInformation;

namespace Palisade.Agents.Monitors;

/// <summary>
/// The <c>ip</c> monitor: ICMP echo to every address at once (System.Net.NetworkInformation.Ping). Normal as soon as
/// any address answers; Error when none answered within the timeout. Each address gets a new echo every slot (a third
/// of the timeout, at most <see cref="SlotCap"/>), so one lost packet does not fail the check, and each echo waits
/// for its reply until the end of its slot.
/// </summary>
internal sealed class IpCheck : IMonitorCheck
{
    /// <summary>On a cluster network a reply later than this is not coming: a new echo is sent instead.</summary>
    public static readonly TimeSpan SlotCap = TimeSpan.FromSeconds(2);

    private static readonly byte[] Payload = "palisade ip monitor check......."u8.ToArray();

    private readonly IReadOnlyList<string> _addresses;
    private readonly TimeProvider _time;

    public IpCheck(IReadOnlyList<string> addresses, TimeProvider time)
    {
        _addresses = addresses;
        _time = time;
    }

    public async Task<CheckResult> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        var targets = new List<EchoTarget>();
        var unusable = new List<string>();
        foreach (string text in _addresses)
        {
            if (IPAddress.TryParse(text, out IPAddress? address))
            {
                targets.Add(new EchoTarget(address));
            }
            else
            {
                unusable.Add($"{text}: not an IP address");
            }
        }

        if (targets.Count > 0)
        {
            using var deadline = new CancellationTokenSource(timeout > TimeSpan.Zero ? timeout : TimeSpan.FromTicks(1), _time);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            TimeSpan slot = Slot(timeout);
            await Task.WhenAll(targets.Select(t => PingUntilAnswerAsync(t, slot, stop))).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }

        return Judge(targets, unusable, timeout, _time.GetElapsedTime(started));
    }

    private static TimeSpan Slot(TimeSpan timeout)
    {
        TimeSpan third = timeout / 3;
        return third > SlotCap ? SlotCap : third > TimeSpan.FromMilliseconds(1) ? third : TimeSpan.FromMilliseconds(1);
    }

    /// <summary>Echoes one address slot after slot until it answers or <paramref name="stop"/> fires; an answer stops the others.</summary>
    private async Task PingUntilAnswerAsync(EchoTarget target, TimeSpan slot, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                long slotStarted = _time.GetTimestamp();
                if (await EchoAsync(target, slot, stop.Token).ConfigureAwait(false))
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    return;
                }

                TimeSpan rest = slot - _time.GetElapsedTime(slotStarted);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, _time, stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The deadline passed, another address answered, or the caller gave up (rethrown by the caller).
        }
    }

    private async Task<bool> EchoAsync(EchoTarget target, TimeSpan wait, CancellationToken ct)
    {
        using var ping = new Ping();
        target.Sent++;
        try
        {
            PingReply reply = await ping.SendPingAsync(target.Address, wait, Payload, null, ct).ConfigureAwait(false);
            if (reply.Status == IPStatus.Success)
            {
                target.Reply = TimeSpan.FromMilliseconds(reply.RoundtripTime);
                return true;
            }

            target.Problem = reply.Status == IPStatus.TimedOut ? null : reply.Status.ToString();
        }
        catch (PingException e)
        {
            target.Problem = e.InnerException?.Message ?? e.Message;
        }

        return false;
    }

    private static CheckResult Judge(List<EchoTarget> targets, List<string> unusable, TimeSpan timeout, TimeSpan duration)
    {
        List<EchoTarget> answered = [.. targets.Where(t => t.Reply is not null)];
        IEnumerable<string> silent = targets.Where(t => t.Reply is null).Select(Silence).Concat(unusable);
        if (answered.Count > 0)
        {
            string answers = string.Join(", ", answered.Select(t => $"{t.Address} in {AgentText.Span(t.Reply!.Value)}"));
            string others = string.Join("; ", silent);
            return new CheckResult(CheckOutcome.Normal, others.Length == 0 ? $"answered: {answers}" : $"answered: {answers}; not (yet): {others}", duration);
        }

        return new CheckResult(CheckOutcome.Error, $"no address answered within {AgentText.Span(timeout)}: {string.Join("; ", silent)}", duration);
    }

    private static string Silence(EchoTarget target) =>
        target.Problem is { } problem ? $"{target.Address}: {problem}"
        : target.Sent == 1 ? $"{target.Address}: 1 echo unanswered"
        : $"{target.Address}: {target.Sent} echoes unanswered";

    /// <summary>What the echoes to one address gave; written by that address's loop only.</summary>
    private sealed class EchoTarget(IPAddress address)
    {
        public IPAddress Address { get; } = address;

        public int Sent { get; set; }

        public TimeSpan? Reply { get; set; }

        /// <summary>Why the last echo failed other than by silence (no route, no permission), or null.</summary>
        public string? Problem { get; set; }
    }
}
