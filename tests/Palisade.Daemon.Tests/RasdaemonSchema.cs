namespace Palisade.Daemon.Tests;

/// <summary>
/// The error tables of rasdaemon 0.6.8's database (Debian 12), with the columns its own ras-mc-ctl reads; rasdaemon
/// creates them on its first start. Tests write rows here as rasdaemon would, since no test may raise a real
/// machine check or memory error on the host.
/// </summary>
internal static class RasdaemonSchema
{
    public const string Create = """
        CREATE TABLE IF NOT EXISTS mc_event (id INTEGER PRIMARY KEY, timestamp TEXT, err_count INTEGER, err_type TEXT, err_msg TEXT,
          label TEXT, mc INTEGER, top_layer INTEGER, middle_layer INTEGER, lower_layer INTEGER, address INTEGER, grain INTEGER,
          syndrome INTEGER, driver_detail TEXT);
        CREATE TABLE IF NOT EXISTS aer_event (id INTEGER PRIMARY KEY, timestamp TEXT, dev_name TEXT, err_type TEXT, err_msg TEXT);
        CREATE TABLE IF NOT EXISTS mce_record (id INTEGER PRIMARY KEY, timestamp TEXT, mcgcap INTEGER, mcgstatus INTEGER, status INTEGER,
          addr INTEGER, misc INTEGER, ip INTEGER, tsc INTEGER, walltime INTEGER, cpu INTEGER, cpuid INTEGER, apicid INTEGER,
          socketid INTEGER, cs INTEGER, bank INTEGER, cpuvendor INTEGER, bank_name TEXT, error_msg TEXT, mcgstatus_msg TEXT,
          mcistatus_msg TEXT, mcastatus_msg TEXT, user_action TEXT, mc_location TEXT);
        """;

    public static string MemoryError(string type, string label) =>
        $"INSERT INTO mc_event (timestamp, err_count, err_type, err_msg, label, mc, top_layer, middle_layer, lower_layer, address, grain, syndrome, driver_detail) "
        + $"VALUES ('2026-12-04 20:00:00 +0000', 1, '{type}', 'memory read error', '{label}', 0, 1, 0, -1, 305419896, 32, 0, '')";
}
