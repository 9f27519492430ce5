using System.Globalization;
using Microsoft.Extensions.Logging;
using Palisade.Lab.Kdump;

namespace Palisade.Lab;

/// <summary>Faults the lab injects besides power and links: a kernel panic with kdump, and vanished BMCs.</summary>
internal sealed class LabFaults(
    LabPaths paths, LabNetwork network, LabHelper helper, ProcessRunner runner, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan AnnouncerLimit = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The node crashes into its crash-dump kernel: the power script kills every process but leaves the power on
    /// and the NICs up with the node's addresses, then the dump kernel's fence_kdump announcer starts inside the
    /// node. Returns once the announcer runs (its first messages are on their way).
    /// </summary>
    public async Task PanicAsync(LabNode target, IReadOnlyList<LabNode> all, TimeSpan interval, CancellationToken ct)
    {
        await runner.RunCheckedAsync($"panicking {target.Name}", paths.PowerScript, [target.Name, "panic"], ScriptTimeout, ct);
        var others = all.Where(n => n.Name != target.Name).ToList();
        if (others.Count == 0)
        {
            Log.NodePanicked(logger, target.Name, "nobody (the lab has no other node)");
            return;
        }

        string[] args =
        [
            LabHelperCli.KdumpAnnounce,
            "--from", target.InterconnectAddress, "--to", string.Join(',', others.Select(n => n.InterconnectAddress)),
            "--from", target.AdminAddress, "--to", string.Join(',', others.Select(n => n.AdminAddress)),
            "--interval", interval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        ];
        var log = paths.KdumpLog(target.Name);
        await helper.StartDetachedAsync($"the kdump announcer of {target.Name}", target.Namespace, log, append: false, args, ct);
        await Poll.UntilAsync(time, AnnouncerLimit, TimeSpan.FromMilliseconds(50), $"the kdump announcer of {target.Name} to run",
            _ => Task.FromResult(ReadLog(log).Contains(KdumpAnnouncer.ReadyMessage, StringComparison.Ordinal)
                ? null
                : $"{log} says: {ReadLog(log).Trim()}"), ct);
        Log.NodePanicked(logger, target.Name, string.Join(", ", others.SelectMany(n => new[] { n.InterconnectAddress, n.AdminAddress })));
    }

    /// <summary>
    /// Takes both BMCs of the node off the network (their address leaves pal-bmc: requests go unanswered) or
    /// brings them back and waits until <paramref name="answering"/> says both answer. The node's power is untouched.
    /// </summary>
    public async Task SetBmcAsync(LabNode target, bool up, Func<CancellationToken, Task<string?>> answering, TimeSpan limit, CancellationToken ct)
    {
        var present = (await network.BmcAddressesAsync(ct)).Contains(target.BmcAddress);
        if (up != present)
        {
            await network.SetBmcAddressAsync(target.BmcAddress, up, ct);
        }

        if (up)
        {
            await Poll.UntilAsync(time, limit, TimeSpan.FromMilliseconds(100), $"the BMCs of {target.Name} to answer again", answering, ct);
        }

        Log.BmcChanged(logger, target.Name, target.BmcAddress, up ? "up" : "down");
    }

    private static string ReadLog(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
