using Microsoft.Data.Sqlite;
using Palisade.Core.Messages;
using Palisade.Daemon.Sources;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>rasdaemon's database read for new rows: history skipped, each new row once, a database that appears later read whole.</summary>
public sealed class RasdaemonFollowerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-ras-").FullName;
    private readonly List<ExternalNotice> _handed = [];
    private readonly List<string> _problems = [];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Database => Path.Combine(_dir, "ras-mc_event.db");

    private RasdaemonFollower Follower() => new(Database, TimeSpan.FromSeconds(1), n => { _handed.Add(n); return Task.CompletedTask; }, _problems.Add, "n1", TimeProvider.System);

    private void Run(params string[] sql)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Database, Pooling = false }.ToString());
        db.Open();
        foreach (var statement in sql)
        {
            using var command = db.CreateCommand();
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
    }

    [Fact]
    public async Task Rows_from_before_the_start_are_history_and_each_new_row_is_handed_on_once()
    {
        Run(RasdaemonSchema.Create, RasdaemonSchema.MemoryError("Uncorrected", "DIMM_A1"));
        var follower = Follower();

        Assert.Equal(0, await follower.ReadOnceAsync(CancellationToken.None));
        Run(RasdaemonSchema.MemoryError("Uncorrected", "DIMM_B2"), RasdaemonSchema.MemoryError("Info", "DIMM_B2"),
            "INSERT INTO aer_event (timestamp, dev_name, err_type, err_msg) VALUES ('2026-12-04 20:00:01 +0000', '0000:3b:00.0', 'Uncorrected (Fatal)', 'Surprise Down Error')");
        Assert.Equal(2, await follower.ReadOnceAsync(CancellationToken.None));
        Assert.Equal(0, await follower.ReadOnceAsync(CancellationToken.None));

        Assert.Equal(["memory:DIMM_B2", "pcie:0000:3b:00.0"], _handed.Select(n => n.Keyword ?? "").ToArray());
        Assert.All(_handed, n => Assert.Equal(("HA/RS", NoticeSeverity.Error, "n1"), (n.Category, n.Severity, n.Node)));
    }

    [Fact]
    public async Task A_database_that_appears_after_the_start_is_read_from_its_first_row()
    {
        var follower = Follower();
        Assert.Equal(0, await follower.ReadOnceAsync(CancellationToken.None));
        Assert.Contains("does not exist", Assert.Single(_problems), StringComparison.Ordinal);

        Run(RasdaemonSchema.Create, RasdaemonSchema.MemoryError("Corrected", "DIMM_A1"));

        Assert.Equal(1, await follower.ReadOnceAsync(CancellationToken.None));
        Assert.Equal(NoticeSeverity.Warning, Assert.Single(_handed).Severity);
    }
}
