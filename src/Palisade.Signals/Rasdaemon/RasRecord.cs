using System.Collections.Immutable;

namespace Palisade.Signals.Rasdaemon;

/// <summary>
/// One row of rasdaemon's error database (<c>/var/lib/rasdaemon/ras-mc_event.db</c>): the table it is in, its id
/// (increasing within the table), and its columns by name as text.
/// </summary>
public sealed record RasRecord(string Table, long Id, ImmutableDictionary<string, string> Columns)
{
    public string Column(string name) => Columns.GetValueOrDefault(name) ?? "";
}

/// <summary>The tables of rasdaemon's database that carry hardware errors, and the columns read from each.</summary>
public static class RasTables
{
    /// <summary>Memory controller (EDAC) errors.</summary>
    public const string Memory = "mc_event";

    /// <summary>PCIe Advanced Error Reporting.</summary>
    public const string Pcie = "aer_event";

    /// <summary>Machine checks (x86 MCE).</summary>
    public const string MachineCheck = "mce_record";

    /// <summary>Block device errors.</summary>
    public const string Disk = "disk_errors";

    /// <summary>Pages the kernel took away after a memory failure.</summary>
    public const string MemoryFailure = "memory_failure_event";

    /// <summary>The order the tables are read in, every time.</summary>
    public static readonly ImmutableArray<string> Order = [Memory, Pcie, MachineCheck, Disk, MemoryFailure];

    public static readonly ImmutableDictionary<string, ImmutableArray<string>> Columns = new Dictionary<string, ImmutableArray<string>>
    {
        [Memory] = ["timestamp", "err_count", "err_type", "err_msg", "label", "mc"],
        [Pcie] = ["timestamp", "dev_name", "err_type", "err_msg"],
        [MachineCheck] = ["timestamp", "status", "cpu", "bank", "bank_name", "error_msg", "mcistatus_msg"],
        [Disk] = ["timestamp", "dev", "sector", "error"],
        [MemoryFailure] = ["timestamp", "pfn", "page_type", "action_result"],
    }.ToImmutableDictionary();
}
