using System.Diagnostics;
using Palisade.Core.Status;
using Palisade.Integration.Tests.Failover;
using Palisade.Scenarios;
using Xunit;
using Xunit.Abstractions;

namespace Palisade.Integration.Tests.External;

/// <summary>
/// The installed palisaded's built-in sources: a link lost inside a lab node (announced by netlink) and a recorded
/// real kernel log line (matched by the shipped rules) become messages that trip external monitors.
/// </summary>
[Collection("lab")]
public sealed class SourceTests(ITestOutputHelper output)
{
    private static string? Health(StatusReport s, string monitor, string node) =>
        s.Monitors.FirstOrDefault(m => m.Name == monitor)?.Status.GetValueOrDefault(node);

    private static async Task<ClusterLab> UpAsync(string extra)
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        return await ClusterLab.UpYamlAsync(demo.TrimEnd() + "\n" + extra);
    }

    [Fact]
    public async Task ALinkTakenDownOnTheOwnerIsANicErrorFromNetlinkThatMovesTheGroupAndItsReturnClearsIt()
    {
        await using var c = await UpAsync("""
            sources:
              links: [mon0]
            monitors:
              - {name: nic-mon0, type: external, target: web, category: NIC, keyword: mon0, recovery: {restart_limit: 0, failover_limit: 1}}

            """);
        await c.WaitAsync("n2", _ => c.NodeLog("n1").Contains("source netlink: watching links mon0", StringComparison.Ordinal), "n1 watching mon0");

        var clock = Stopwatch.StartNew();
        await c.Lab.SetLinkAsync("n1", "mon0", up: false, c.Ct);
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2 after n1's mon0 went down");
        output.WriteLine($"link down on n1 -> web Online on n2 in {clock.ElapsedMilliseconds} ms (as seen by polling status)");
        Assert.Equal("Error", Health(moved, "nic-mon0", "n1"));
        Assert.Contains("mon0: link down (administratively down)", c.NodeLog("n2"), StringComparison.Ordinal);
        var events = await c.CliAsync("n1", "events");
        Assert.Contains("error    NIC.mon0  on n1  from netlink on n1", events.Stdout, StringComparison.Ordinal);

        await c.Lab.SetLinkAsync("n1", "mon0", up: true, c.Ct);
        await c.WaitAsync("n2", s => Health(s, "nic-mon0", "n1") == "Normal", "nic-mon0 Normal on n1 once the link is back");
        Assert.Contains("clear    NIC.mon0  on n1  from netlink on n1", (await c.CliAsync("n1", "events")).Stdout, StringComparison.Ordinal);
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task ARecordedQlogicLoopDownLineInTheKernelLogTripsTheFcMonitorThroughTheShippedRules()
    {
        await using var c = await UpAsync("""
            sources:
              kernel_log: {path: /var/lib/palisade/kern.log}
            monitors:
              - {name: fc-any, type: external, target: web, category: FC, recovery: {restart_limit: 0, failover_limit: 1}}

            """);
        await c.WaitAsync("n2", _ => c.NodeLog("n1").Contains("source kernel log: watching /var/lib/palisade/kern.log with", StringComparison.Ordinal), "n1 reading its kernel log");
        var log = Path.Combine(c.Lab.StatePath, "nodes", "n1", "lib-palisade", "kern.log");

        // Lines no rule matches change nothing; the QLogic loop-down line is an FC error for that HBA.
        await File.AppendAllTextAsync(log, "[ 1203.100000] e1000e 0000:00:19.0 eth0: renamed from veth1234\n[ 1203.200000] ata1: SATA link down (SStatus 0 SControl 300)\n");
        await File.AppendAllTextAsync(log, "Jun 20 13:54:03 n1 kernel: qla2xxx [0000:83:00.1]-500b:7: LOOP DOWN detected (2 7 0 0).\n");
        var moved = await c.WaitAsync("n2", s => Health(s, "fc-any", "n1") == "Error" && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"),
            "fc-any Error on n1 and web failed over to n2");
        Assert.Equal(1, moved.Monitors.Single(m => m.Name == "fc-any").Counters.Failovers);
        var events = (await c.CliAsync("n1", "events")).Stdout;
        Assert.Contains("error    FC.0000:83:00.1  on n1  from kernel log rule qla2xxx-loop-down", events, StringComparison.Ordinal);
        Assert.Single(events.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        await File.AppendAllTextAsync(log, "[ 1210.512210] qla2xxx [0000:83:00.1]-500a:7: LOOP UP detected (8 Gbps).\n");
        await c.WaitAsync("n2", s => Health(s, "fc-any", "n1") == "Normal", "fc-any Normal on n1 after LOOP UP");
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task AnUncorrectedMemoryErrorRasdaemonRecordsTripsTheHardwareMonitorAndMovesTheGroup()
    {
        await using var c = await UpAsync("""
            sources:
              rasdaemon: {database: /var/lib/palisade/ras-mc_event.db, interval: 1s}
            monitors:
              - {name: dimm-a1, type: external, target: web, category: HA/RS, keyword: "memory:DIMM_A1", recovery: {restart_limit: 0, failover_limit: 1}}

            """);
        await c.WaitAsync("n2", _ => c.NodeLog("n1").Contains("source rasdaemon: watching /var/lib/palisade/ras-mc_event.db every 1 s", StringComparison.Ordinal), "n1 reading rasdaemon's database");

        // rasdaemon's database appears on n1 (its first start) and records a corrected error: a warning, nothing moves.
        var database = Path.Combine(c.Lab.StatePath, "nodes", "n1", "lib-palisade", "ras-mc_event.db");
        Sql(database, Palisade.Daemon.Tests.RasdaemonSchema.Create, Palisade.Daemon.Tests.RasdaemonSchema.MemoryError("Corrected", "DIMM_A1"));
        var warned = await c.WaitAsync("n2", s => Health(s, "dimm-a1", "n1") == "Warning", "dimm-a1 Warning on n1");
        Assert.True(ClusterProbe.GroupOnline(warned, ClusterLab.Group, "n1"));

        // An uncorrected error on the same DIMM: Error, and web fails over.
        Sql(database, Palisade.Daemon.Tests.RasdaemonSchema.MemoryError("Uncorrected", "DIMM_A1"));
        var moved = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web Online on n2 after the uncorrected memory error");
        Assert.Equal("Error", Health(moved, "dimm-a1", "n1"));
        Assert.Matches(@"(?m)^\S.*error +HA/RS\.memory:DIMM_A1 +on n1 +from rasdaemon", (await c.CliAsync("n1", "events")).Stdout);
        c.AssertNoDoubleActivation();
    }

    /// <summary>Writes to the node's rasdaemon database as rasdaemon does (the lab's persistent directory of the node, seen from the host).</summary>
    private static void Sql(string database, params string[] statements)
    {
        using var db = new Microsoft.Data.Sqlite.SqliteConnection(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        db.Open();
        foreach (var statement in statements)
        {
            using var command = db.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
    }
}
