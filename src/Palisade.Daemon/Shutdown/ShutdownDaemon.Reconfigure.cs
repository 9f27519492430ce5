using Palisade.Core.Configuration;

namespace Palisade.Daemon;

internal sealed partial class ShutdownDaemon
{
    /// <summary>
    /// Takes the shutdown agents and settings of <paramref name="next"/> (already validated) and initialises them again.
    /// Refused while a kill runs, and when the node list changed (that needs every palisaded restarted).
    /// </summary>
    public async Task<(bool Ok, string Message)> ReconfigureAsync(ClusterConfig next, string path)
    {
        string? refusal;
        lock (_gate)
        {
            refusal = _killing.Count > 0
                ? $"a shutdown cycle is under way (killing {string.Join(", ", _killing.Order(StringComparer.Ordinal))}); try again when it has ended"
                : SameNodes(_config, next);
            if (refusal is null)
            {
                _live.Swap(_config with { Nodes = next.Nodes, Shutdown = next.Shutdown });
                _table = Core.Shutdown.ShutdownTable.Create(_config);
            }
        }

        if (refusal is not null)
        {
            return (false, refusal);
        }

        var agents = next.Nodes.Sum(n => n.ShutdownAgents.Length);
        var summary = $"{agents} agents on {next.Nodes.Length} nodes, test interval {next.Shutdown.TestInterval.TotalSeconds:0} s";
        SdLog.Reconfigured(_log, path, summary);
        if (Running)
        {
            await InitAllAsync();
            _ = TestAllAsync();
        }

        return (true, $"reconfigured from {path}: {summary}");
    }

    /// <summary>Null when only agents and settings differ; else why the change cannot be applied at run time.</summary>
    private static string? SameNodes(ClusterConfig current, ClusterConfig next)
    {
        var before = current.Nodes.Select(n => $"{n.Name}#{n.Id}").ToList();
        var after = next.Nodes.Select(n => $"{n.Name}#{n.Id}").ToList();
        if (!before.SequenceEqual(after))
        {
            return $"the node list changed ({string.Join(", ", before)} -> {string.Join(", ", after)}); that needs palisaded restarted on every node";
        }

        var changedAdmin = current.Nodes.Zip(next.Nodes).Where(p => p.First.Admin != p.Second.Admin).Select(p => p.First.Name).ToList();
        if (changedAdmin.Count > 0 || current.Shutdown.AdvertPort != next.Shutdown.AdvertPort)
        {
            return $"the admin addresses or advert_port changed ({(changedAdmin.Count > 0 ? string.Join(", ", changedAdmin) : "advert_port")}); "
                + "partition adverts are bound to them: that needs palisaded restarted on every node";
        }

        var changedWatchdog = current.Nodes.Zip(next.Nodes).Where(p => p.First.Watchdog != p.Second.Watchdog).Select(p => p.First.Name).ToList();
        if (changedWatchdog.Count > 0 || current.Shutdown.WatchdogTimeout != next.Shutdown.WatchdogTimeout)
        {
            return $"the watchdogs or watchdog_timeout changed ({(changedWatchdog.Count > 0 ? string.Join(", ", changedWatchdog) : "watchdog_timeout")}); "
                + "each palisaded opened its watchdog for the running values: that needs palisaded restarted on every node";
        }

        return null;
    }
}
