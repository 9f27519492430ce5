using System.Collections.Immutable;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Palisade.Core.Messages;
using Palisade.Signals.Rasdaemon;

namespace Palisade.Daemon.Sources;

/// <summary>
/// Reads rasdaemon's error database (read only, never locking rasdaemon out for long): the rows added to its error
/// tables since palisaded started, every interval. Rows from before the start are history, not news: skipped.
/// </summary>
internal sealed class RasdaemonFollower(string database, TimeSpan interval, Func<ExternalNotice, Task> hand, Action<string> problem, string node, TimeProvider time)
{
    private const int RowsPerRead = 1000;
    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);
    private bool _started;
    private string _said = "";

    public async Task FollowAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ReadOnceAsync(ct).ConfigureAwait(false);
                _said = "";
            }
            catch (SqliteException e)
            {
                Say($"cannot read {database}: {e.Message}");
            }

            try
            {
                await Task.Delay(interval, time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One pass over every error table; the first pass only notes where each table ends.</summary>
    public async Task<int> ReadOnceAsync(CancellationToken ct)
    {
        if (!File.Exists(database))
        {
            // rasdaemon creates it on its first start; a table created later starts from its beginning.
            Say($"{database} does not exist (yet): is rasdaemon running with --record?");
            _started = true;
            return 0;
        }

        var handed = 0;
        var connection = new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 2 }.ToString();
        await using var db = new SqliteConnection(connection);
        await db.OpenAsync(ct).ConfigureAwait(false);
        var present = await TablesAsync(db, ct).ConfigureAwait(false);
        foreach (var table in RasTables.Order)
        {
            var columns = RasTables.Columns[table];
            if (!present.Contains(table))
            {
                continue;
            }

            if (!_last.TryGetValue(table, out var last))
            {
                last = _started ? 0 : await MaxIdAsync(db, table, ct).ConfigureAwait(false);
                _last[table] = last;
                if (!_started)
                {
                    continue;
                }
            }

            var known = await ColumnsAsync(db, table, ct).ConfigureAwait(false);
            var read = columns.Where(known.Contains).ToList();
            await using var query = db.CreateCommand();
            query.CommandText = $"SELECT id{string.Concat(read.Select(c => ", " + c))} FROM {table} WHERE id > $last ORDER BY id LIMIT {RowsPerRead}";
            query.Parameters.AddWithValue("$last", last);
            await using var rows = await query.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await rows.ReadAsync(ct).ConfigureAwait(false))
            {
                var id = rows.GetInt64(0);
                var values = read.Select((c, i) => KeyValuePair.Create(c, rows.IsDBNull(i + 1) ? "" : Convert.ToString(rows.GetValue(i + 1), CultureInfo.InvariantCulture) ?? ""));
                _last[table] = id;
                if (RasRecordMap.Map(new RasRecord(table, id, values.ToImmutableDictionary()), node) is { } notice)
                {
                    await hand(notice).ConfigureAwait(false);
                    handed++;
                }
            }
        }

        _started = true;
        return handed;
    }

    private static async Task<HashSet<string>> TablesAsync(SqliteConnection db, CancellationToken ct)
    {
        await using var list = db.CreateCommand();
        list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var rows = await list.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            names.Add(rows.GetString(0));
        }

        return names;
    }

    private static async Task<HashSet<string>> ColumnsAsync(SqliteConnection db, string table, CancellationToken ct)
    {
        await using var info = db.CreateCommand();
        info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var rows = await info.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await rows.ReadAsync(ct).ConfigureAwait(false))
        {
            names.Add(rows.GetString(0));
        }

        return names;
    }

    private static async Task<long> MaxIdAsync(SqliteConnection db, string table, CancellationToken ct)
    {
        await using var max = db.CreateCommand();
        max.CommandText = $"SELECT COALESCE(MAX(id), 0) FROM {table}";
        return Convert.ToInt64(await max.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    private void Say(string what)
    {
        if (what != _said)
        {
            problem(what);
            _said = what;
        }
    }
}
