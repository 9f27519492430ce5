using Palisade.Core.Configuration;

namespace Palisade.Configuration.Reading;

/// <summary>Reads the optional <c>shutdown</c> section: settings of the shutdown daemons.</summary>
internal static class ShutdownSectionReader
{
    private static readonly string[] Keys = ["test_interval", "partition_delay", "history_limit", "advert_port"];

    public static ShutdownSettings? Read(MappingReader m)
    {
        var before = m.Diagnostics.Count;
        m.RejectUnknown(Keys);
        var interval = m.ReadDuration("test_interval", TimeSpan.FromSeconds(1));
        var delay = m.ReadDuration("partition_delay", TimeSpan.Zero);
        var limit = m.ReadInteger("history_limit", 10, 100_000);
        var port = m.ReadInteger("advert_port", 1, 65535);
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
        };
    }
}
