using Palisade.Core.Configuration;

namespace Palisade.Configuration.Reading;

/// <summary>Reads the optional <c>shutdown</c> section: settings of the shutdown daemons.</summary>
internal static class ShutdownSectionReader
{
    /// <summary>Watchdog drivers count in whole seconds; below 2 s a busy node would reset itself for nothing.</summary>
    private static readonly TimeSpan MinWatchdogTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Most drivers accept at most a few minutes; fencing would wait twice this long.</summary>
    private static readonly TimeSpan MaxWatchdogTimeout = TimeSpan.FromMinutes(5);

    private static readonly string[] Keys = ["test_interval", "partition_delay", "history_limit", "advert_port", "watchdog_timeout"];

    public static ShutdownSettings? Read(MappingReader m)
    {
        var before = m.Diagnostics.Count;
        m.RejectUnknown(Keys);
        var interval = m.ReadDuration("test_interval", TimeSpan.FromSeconds(1));
        var delay = m.ReadDuration("partition_delay", TimeSpan.Zero);
        var limit = m.ReadInteger("history_limit", 10, 100_000);
        var port = m.ReadInteger("advert_port", 1, 65535);
        var watchdog = m.ReadDuration("watchdog_timeout", TimeSpan.Zero);
        if (watchdog is { } w && (w < MinWatchdogTimeout || w > MaxWatchdogTimeout))
        {
            Scalars.ReportInvalid(m.Value("watchdog_timeout")!, m.Field("watchdog_timeout"), m.Diagnostics,
                $"a duration between {Formats.FormatDuration(MinWatchdogTimeout)} and {Formats.FormatDuration(MaxWatchdogTimeout)}");
        }
        if (m.Diagnostics.Count > before)
        {
            return null;
        }

        var defaults = new ShutdownSettings();
        return new ShutdownSettings
        {
            TestInterval = interval ?? defaults.TestInterval,
            PartitionDelay = delay ?? defaults.PartitionDelay,
            HistoryLimit = (int)(limit ?? defaults.HistoryLimit),
            AdvertPort = (int)(port ?? defaults.AdvertPort),
            WatchdogTimeout = watchdog ?? defaults.WatchdogTimeout,
        };
    }
}
