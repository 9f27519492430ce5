using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;

namespace Palisade.Agents;

/// <summary>
/// The addresses a confirming agent (kdump, icmp) watches: its <c>addresses</c> parameter, else every address of the
/// target node. Entries may be IP addresses or host names; names are resolved at use, within the agent's time.
/// </summary>
internal static class TargetAddresses
{
    public static ImmutableArray<string> Of(AgentParameters parameters, ShutdownTarget target) =>
        parameters.List("addresses", target.Addresses);

    /// <summary>What is wrong with the entries as written, or null; nothing is resolved here.</summary>
    public static string? Problem(ImmutableArray<string> entries)
    {
        if (entries.IsEmpty)
        {
            return "no address to watch: the node has none and 'addresses' is not set";
        }

        string? bad = entries.FirstOrDefault(e => !IPAddress.TryParse(e, out _) && Uri.CheckHostName(e) != UriHostNameType.Dns);
        return bad is null ? null : $"address '{bad}' is neither an IP address nor a host name";
    }

    /// <summary>Every entry as IP addresses (a name gives all of its addresses), or the first entry that failed.</summary>
    public static async Task<(IReadOnlyList<IPAddress> Addresses, string Problem)> ResolveAsync(
        ImmutableArray<string> entries, TimeSpan remaining, TimeProvider time, CancellationToken ct)
    {
        var addresses = new List<IPAddress>();
        foreach (string entry in entries)
        {
            if (IPAddress.TryParse(entry, out IPAddress? literal))
            {
                addresses.Add(literal);
                continue;
            }

            using var deadline = new CancellationTokenSource(remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1), time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
            try
            {
                addresses.AddRange(await Dns.GetHostAddressesAsync(entry, linked.Token).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return ([], $"resolving {entry} took longer than the time left");
            }
            catch (SocketException e)
            {
                return ([], $"cannot resolve {entry}: {e.Message}");
            }
        }

        return ([.. addresses.Distinct()], "");
    }

    /// <summary>"a, b, c" for reason lines.</summary>
    public static string Join(IEnumerable<IPAddress> addresses) => string.Join(", ", addresses);
}
