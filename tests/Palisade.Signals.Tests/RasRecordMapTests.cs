using System.Collections.Immutable;
using Palisade.Core.Messages;
using Palisade.Signals.Rasdaemon;
using Xunit;

namespace Palisade.Signals.Tests;

/// <summary>Rows of rasdaemon's database (columns as its ras-mc-ctl reads them) turned into the cluster's messages.</summary>
public sealed class RasRecordMapTests
{
    private static RasRecord Row(string table, long id, params (string Column, string Value)[] columns) =>
        new(table, id, columns.ToImmutableDictionary(c => c.Column, c => c.Value).Add("timestamp", "2026-12-04 20:00:00 +0000"));

    private static ExternalNotice? Map(RasRecord row) => RasRecordMap.Map(row, "n1");

    [Theory]
    [InlineData("Uncorrected", NoticeSeverity.Error)]
    [InlineData("Fatal", NoticeSeverity.Error)]
    [InlineData("Corrected", NoticeSeverity.Warning)]
    public void A_memory_error_is_HA_RS_for_its_DIMM(string type, NoticeSeverity severity)
    {
        var notice = Map(Row(RasTables.Memory, 7, ("err_count", "1"), ("err_type", type), ("err_msg", "read error"), ("label", "CPU_SrcID#0_Ha#0_Chan#1_DIMM#0"), ("mc", "0")));

        Assert.Equal(("HA/RS", "memory:CPU_SrcID#0_Ha#0_Chan#1_DIMM#0", severity, "n1"), (notice!.Category, notice.Keyword, notice.Severity, notice.Node));
        Assert.Contains("read error", notice.Text, StringComparison.Ordinal);
        Assert.Null(ExternalNoticeRules.Problem(notice, ExternalNoticeRules.BuiltInCategories, ["n1"]));
    }

    [Fact]
    public void A_memory_error_without_a_label_names_its_controller_and_an_info_row_is_left_out()
    {
        Assert.Equal("memory:mc1", Map(Row(RasTables.Memory, 1, ("err_type", "Uncorrected"), ("label", ""), ("mc", "1")))!.Keyword);
        Assert.Null(Map(Row(RasTables.Memory, 2, ("err_type", "Info"), ("mc", "1"))));
    }

    [Theory]
    [InlineData("Uncorrected (Fatal)", NoticeSeverity.Error)]
    [InlineData("Uncorrected (Non-Fatal)", NoticeSeverity.Warning)]
    public void A_PCIe_error_is_HA_RS_for_its_device(string type, NoticeSeverity severity)
    {
        var notice = Map(Row(RasTables.Pcie, 3, ("dev_name", "0000:3b:00.0"), ("err_type", type), ("err_msg", "Completion Timeout")));

        Assert.Equal(("HA/RS", "pcie:0000:3b:00.0", severity), (notice!.Category, notice.Keyword, notice.Severity));
    }

    [Fact]
    public void A_corrected_PCIe_error_is_left_out() =>
        Assert.Null(Map(Row(RasTables.Pcie, 4, ("dev_name", "0000:3b:00.0"), ("err_type", "Corrected"), ("err_msg", "Receiver Error"))));

    [Theory]
    [InlineData("-5476377146882523136", NoticeSeverity.Error)] // 0xB400000000000000: valid, uncorrected, enabled, address valid (bit 63 makes it a negative INTEGER in SQLite)
    [InlineData("-7205759403792793600", NoticeSeverity.Warning)] // 0x9C00000000000000: valid, enabled, misc and address valid: corrected
    public void A_machine_check_is_an_error_only_when_uncorrected(string status, NoticeSeverity severity)
    {
        var notice = Map(Row(RasTables.MachineCheck, 5, ("status", status), ("cpu", "3"), ("bank", "4"), ("bank_name", "Intel MCA"), ("error_msg", "Memory read error")));

        Assert.Equal(("HA/RS", "cpu3:bank4", severity), (notice!.Category, notice.Keyword, notice.Severity));
    }

    [Fact]
    public void A_disk_error_is_HA_SS_for_its_device_and_a_failed_page_HA_RS()
    {
        var disk = Map(Row(RasTables.Disk, 6, ("dev", "8:0"), ("sector", "1234"), ("error", "I/O error")));
        var page = Map(Row(RasTables.MemoryFailure, 1, ("pfn", "0x12345"), ("page_type", "dirty LRU page"), ("action_result", "Failed")));

        Assert.Equal(("HA/SS", "disk:8:0", NoticeSeverity.Error), (disk!.Category, disk.Keyword, disk.Severity));
        Assert.Equal(("HA/RS", "memory", NoticeSeverity.Error), (page!.Category, page.Keyword, page.Severity));
    }

    [Fact]
    public void A_row_read_again_has_the_same_id_and_the_next_row_another()
    {
        var row = Row(RasTables.Memory, 9, ("err_type", "Uncorrected"), ("mc", "0"));

        Assert.Equal(Map(row)!.Id, Map(row)!.Id);
        Assert.NotEqual(Map(row)!.Id, Map(row with { Id = 10 })!.Id);
        Assert.Null(Map(Row("devlink_event", 1, ("msg", "x"))));
    }
}
