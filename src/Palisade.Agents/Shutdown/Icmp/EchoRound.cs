using System.Net;
using System.Net.NetworkInformation;
using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>
/// Sends <c>count</c> echo requests to each address, <c>interval</c> apart like <c>ping -i</c>, each waiting for its
/// reply while the next ones go out, and stops early once the caller has seen enough.
/// </summary>
internal sealed class EchoRound(string target, ILogger logger, TimeProvider time)
{
    /// <summary>
    /// A kernel answers an echo in softirq context whatever its user space is doing, so on a cluster network a reply
    /// later than this is not coming; waiting longer would only delay the fencing decision.
    /// </summary>
    public static readonly TimeSpan EchoTimeoutCap = TimeSpan.FromSeconds(2);

    private static readonly byte[] Payload = "palisade icmp shutdown agent...."u8.ToArray();

    /// <param name="enough">Checked after every reply, under a lock: true stops the remaining echoes.</param>
    public async Task<IReadOnlyList<EchoTally>> RunAsync(
        IReadOnlyList<IPAddress> addresses, int count, TimeSpan interval, Func<TimeSpan> remaining,
        Func<IReadOnlyList<EchoTally>, bool> enough, CancellationToken ct)
    {
        EchoTally[] tallies = [.. addresses.Select(a => new EchoTally(a))];

        // Ping's own timeout starts late (socket set-up, first-use costs): the agent's deadline is enforced here.
        using var deadline = new CancellationTokenSource(remaining() > TimeSpan.Zero ? remaining() : TimeSpan.FromMilliseconds(1), time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var echoes = new List<Task>();
        var gate = new Lock();
        try
        {
            for (int sequence = 0; sequence < count && !stop.IsCancellationRequested; sequence++)
            {
                if (sequence > 0)
                {
                    await Task.Delay(interval, time, stop.Token).ConfigureAwait(false);
                }

                // Each echo may wait for what is left of the agent's time, within the cap.
                TimeSpan wait = remaining() < EchoTimeoutCap ? remaining() : EchoTimeoutCap;
                if (wait <= TimeSpan.Zero)
                {
                    break;
                }

                foreach (EchoTally tally in tallies)
                {
                    tally.Sent++;
                    echoes.Add(EchoAsync(tally, sequence, wait, gate, tallies, enough, stop, ct));
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Stopped early: enough was seen, or the deadline passed (the tallies show how many echoes went out).
        }

        await Task.WhenAll(echoes).ConfigureAwait(false);
        ct.ThrowIfCancellationRequested();
        return tallies;
    }

    private async Task EchoAsync(
        EchoTally tally, int sequence, TimeSpan wait, Lock gate, EchoTally[] tallies,
        Func<IReadOnlyList<EchoTally>, bool> enough, CancellationTokenSource stop, CancellationToken ct)
    {
        using var ping = new Ping();
        try
        {
            PingReply reply = await ping.SendPingAsync(tally.Address, wait, Payload, null, stop.Token).ConfigureAwait(false);
            Log.IcmpEcho(logger, target, tally.Address.ToString(), sequence + 1, reply.Status.ToString(), reply.RoundtripTime);
            lock (gate)
            {
                if (reply.Status == IPStatus.Success)
                {
                    tally.Answered++;
                    TimeSpan rtt = TimeSpan.FromMilliseconds(reply.RoundtripTime);
                    tally.FastestReply = tally.FastestReply is { } fastest && fastest < rtt ? fastest : rtt;
                }

                if (enough(tallies))
                {
                    stop.Cancel();
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Another echo settled the question, or the deadline came first: either way no reply arrived.
        }
        catch (PingException e)
        {
            string why = e.InnerException?.Message ?? e.Message;
            Log.IcmpEchoFailed(logger, target, tally.Address.ToString(), sequence + 1, why);
            lock (gate)
            {
                tally.Error ??= why;
            }
        }
    }
}
