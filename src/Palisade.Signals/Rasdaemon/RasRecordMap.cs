using System.Globalization;
using System.Numerics;
using Palisade.Core.Messages;

namespace Palisade.Signals.Rasdaemon;

/// <summary>
/// Which hardware errors rasdaemon recorded become cluster messages about this node: uncorrected memory errors,
/// fatal PCIe errors, uncorrected machine checks and failed pages are <c>HA/RS</c> errors (a corrected one or a
/// non-fatal one a warning), a block device error is an <c>HA/SS</c> error. Each row gives one message whose id is
/// made from the table, the row id and its time, so a row read again is applied once.
/// </summary>
public static class RasRecordMap
{
    /// <summary>Bit 61 of IA32_MCi_STATUS: the error was not corrected.</summary>
    private const int UncorrectedBit = 61;

    public static ExternalNotice? Map(RasRecord row, string node)
    {
        ArgumentNullException.ThrowIfNull(row);
        var mapped = row.Table switch
        {
            RasTables.Memory => Memory(row),
            RasTables.Pcie => Pcie(row),
            RasTables.MachineCheck => MachineCheck(row),
            RasTables.Disk => ("HA/SS", $"disk:{row.Column("dev")}", NoticeSeverity.Error, $"I/O error on {row.Column("dev")} at sector {row.Column("sector")}: {row.Column("error")}"),
            RasTables.MemoryFailure => ("HA/RS", "memory", row.Column("action_result") is "Recovered" ? NoticeSeverity.Warning : NoticeSeverity.Error,
                $"memory failure at page {row.Column("pfn")} ({row.Column("page_type")}): {row.Column("action_result")}"),
            _ => ((string, string, NoticeSeverity, string)?)null,
        };
        if (mapped is not var (category, keyword, severity, text))
        {
            return null;
        }

        var id = $"ras-{node}-{row.Table}-{row.Id.ToString(CultureInfo.InvariantCulture)}-{row.Column("timestamp")}";
        return new ExternalNotice(category, Clip(keyword, ExternalNoticeRules.MaxKeywordBytes), severity, Clip($"{text} (rasdaemon {row.Table} {row.Id})", ExternalNoticeRules.MaxTextBytes),
            "rasdaemon", node, Clip(id, ExternalNoticeRules.MaxIdBytes));
    }

    private static (string, string, NoticeSeverity, string)? Memory(RasRecord row)
    {
        var type = row.Column("err_type");
        NoticeSeverity? severity = type switch
        {
            "Uncorrected" or "Fatal" => NoticeSeverity.Error,
            "Corrected" or "Deferred" => NoticeSeverity.Warning,
            _ => null,
        };
        var where = row.Column("label") is { Length: > 0 } label ? label : $"mc{row.Column("mc")}";
        return severity is { } s ? ("HA/RS", $"memory:{where}", s, $"{row.Column("err_count")} {type} memory error(s) at {where}: {row.Column("err_msg")}") : null;
    }

    private static (string, string, NoticeSeverity, string)? Pcie(RasRecord row)
    {
        var type = row.Column("err_type");
        NoticeSeverity? severity = type.Contains("Fatal", StringComparison.Ordinal) && !type.Contains("Non-Fatal", StringComparison.Ordinal) ? NoticeSeverity.Error
            : type.StartsWith("Uncorrected", StringComparison.Ordinal) ? NoticeSeverity.Warning
            : null;
        return severity is { } s ? ("HA/RS", $"pcie:{row.Column("dev_name")}", s, $"PCIe {type} error on {row.Column("dev_name")}: {row.Column("err_msg")}") : null;
    }

    private static (string, string, NoticeSeverity, string)? MachineCheck(RasRecord row)
    {
        var uncorrected = BigInteger.TryParse(row.Column("status"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var status)
            && ((ulong)(status & ulong.MaxValue) & (1UL << UncorrectedBit)) != 0;
        var keyword = $"cpu{row.Column("cpu")}:bank{row.Column("bank")}";
        var text = $"machine check on CPU {row.Column("cpu")} bank {row.Column("bank")} ({row.Column("bank_name")}): {row.Column("error_msg")} {row.Column("mcistatus_msg")}".TrimEnd();
        return ("HA/RS", keyword, uncorrected ? NoticeSeverity.Error : NoticeSeverity.Warning, text);
    }

    private static string Clip(string text, int maxBytes)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var cut = text;
        while (System.Text.Encoding.UTF8.GetByteCount(cut) > maxBytes)
        {
            cut = cut[..^1];
        }

        return cut;
    }
}
