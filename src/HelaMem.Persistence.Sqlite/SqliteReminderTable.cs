using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Orleans' reminder table in the <c>reminders</c> table of the SQLite database (usually the same file as the
/// grain state). Each row keeps its grain as <c>grain_type</c> = <c>grainId.Type.ToString()</c> and
/// <c>grain_key</c> = <c>grainId.Key.ToString()</c>, plus Orleans' ring hash of the grain in <c>grain_hash</c>, so
/// the reminder service's range reads (<see cref="ReadRows(uint, uint)"/>) are answered by an index.
/// </summary>
/// <remarks>
/// Orleans' reminder service calls <see cref="StartAsync"/> when the silo starts (the database is opened, migrated,
/// and any row without a hash gets one) and <see cref="StopAsync"/> when it stops. Reminder traffic is small, so
/// one connection serves every call in turn; each change is its own committed transaction before the call returns.
/// ETags come from the database-wide sequence the grain state uses too, so they never repeat.
/// </remarks>
public sealed class SqliteReminderTable : IReminderTable, IAsyncDisposable
{
    private const string Columns = "grain_type, grain_key, reminder_name, start_at, period, etag";
    private const string Component = "reminder table";
    private const string TableName = "Reminders";
    private const int NotStarted = 0;
    private const int Started = 1;
    private const int Stopped = 2;

    private readonly SqliteStorageOptions _options;
    private readonly ILogger<SqliteReminderTable> _logger;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private SqliteConnection? _connection;
    private int _state;
    private long _changes;

    /// <summary>Creates the table; nothing is opened until <see cref="StartAsync"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public SqliteReminderTable(SqliteStorageOptions options, ILogger<SqliteReminderTable> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _logger = logger;
    }

    /// <summary>Opens (creating if needed) and migrates the database and fills the grain hash of rows that lack one. Calling it again does nothing.</summary>
    /// <exception cref="StorageSchemaException">The file is not a HelaMem SQLite database this build can use.</exception>
    /// <exception cref="ObjectDisposedException">The table was stopped.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_state == Stopped, this);
            if (_state == Started)
            {
                return;
            }

            var connection = SqliteDatabaseOpener.OpenAndMigrate(_options, _logger, out var schemaVersion);
            try
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var filled = ReminderHashes.FillMissing(connection, transaction);
                transaction.Commit();
                if (filled > 0)
                {
                    SqliteLog.ReminderHashesFilled(_logger, filled, _options.DatabasePath);
                }
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            _connection = connection;
            Volatile.Write(ref _state, Started);
            SqliteLog.Opened(_logger, Component, TableName, _options.DatabasePath, schemaVersion, _options.Synchronous);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Waits for the call in progress, then closes the connection; later calls fail with <see cref="ObjectDisposedException"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        // The connection is closed whatever the token says: the call in progress is short and must not be cut off.
        await _turn.WaitAsync(CancellationToken.None);
        try
        {
            if (_state == Stopped)
            {
                return;
            }

            var wasStarted = _state == Started;
            Volatile.Write(ref _state, Stopped);
            _connection?.Dispose();
            _connection = null;
            if (wasStarted)
            {
                var changes = Interlocked.Read(ref _changes);
                SqliteLog.Closed(_logger, Component, TableName, _options.DatabasePath, changes, changes);
            }
        }
        finally
        {
            // Calls already waiting for their turn run into the stopped check instead of waiting forever.
            _turn.Release();
        }
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        var (type, key) = GrainColumns(grainId, nameof(grainId));
        return InTurnAsync(
            connection => new ReminderTableData(Query(
                connection,
                $"SELECT {Columns} FROM reminders WHERE grain_type = $type AND grain_key = $key;",
                command => SetGrain(command, type, key))),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    /// <summary>The reminders whose grain hash lies in (<paramref name="begin"/>, <paramref name="end"/>] on Orleans' ring.</summary>
    /// <remarks>
    /// As Orleans' own tables: <paramref name="begin"/> is exclusive and <paramref name="end"/> inclusive; when
    /// <paramref name="begin"/> &gt;= <paramref name="end"/> the range wraps past <see cref="uint.MaxValue"/> to 0, so
    /// <paramref name="begin"/> == <paramref name="end"/> is the whole ring.
    /// </remarks>
    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken)
    {
        var sql = begin < end
            ? $"SELECT {Columns} FROM reminders WHERE grain_hash > $begin AND grain_hash <= $end;"
            : $"SELECT {Columns} FROM reminders WHERE grain_hash > $begin OR grain_hash <= $end;";
        return InTurnAsync(
            connection => new ReminderTableData(Query(
                connection,
                sql,
                command =>
                {
                    command.Parameters.AddWithValue("$begin", (long)begin);
                    command.Parameters.AddWithValue("$end", (long)end);
                })),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var (type, key) = GrainColumns(grainId, nameof(grainId));
        ThrowIfInvalidName(grainId, reminderName);
        return InTurnAsync(
            connection => Query(
                connection,
                $"SELECT {Columns} FROM reminders WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name;",
                command =>
                {
                    SetGrain(command, type, key);
                    command.Parameters.AddWithValue("$name", reminderName);
                }).SingleOrDefault(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    /// <summary>Inserts or replaces the reminder; returns its new ETag.</summary>
    /// <remarks>A <see cref="ReminderEntry.StartAt"/> of kind Unspecified is taken as UTC (as Orleans' ADO.NET table does); a local time is converted.</remarks>
    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (type, key) = GrainColumns(entry.GrainId, nameof(entry));
        ThrowIfInvalidName(entry.GrainId, entry.ReminderName);
        if (entry.Period < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Period, $"Reminder '{entry.ReminderName}' of {entry.GrainId} has a negative period.");
        }

        var startAtTicks = ToUtc(entry.StartAt).Ticks;
        var hash = ReminderHashes.Of(entry.GrainId);
        return InTurnAsync<string?>(
            connection =>
            {
                using var transaction = connection.BeginTransaction(deferred: false);
                var eTag = NextVersion(connection, transaction);
                using var upsert = connection.CreateCommand();
                upsert.Transaction = transaction;
                upsert.CommandText =
                    $"INSERT INTO reminders ({Columns}, grain_hash) VALUES ($type, $key, $name, $startAt, $period, $etag, $hash) " +
                    "ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET start_at = excluded.start_at, period = excluded.period, etag = excluded.etag, grain_hash = excluded.grain_hash;";
                SetGrain(upsert, type, key);
                upsert.Parameters.AddWithValue("$name", entry.ReminderName);
                upsert.Parameters.AddWithValue("$startAt", startAtTicks);
                upsert.Parameters.AddWithValue("$period", entry.Period.Ticks);
                upsert.Parameters.AddWithValue("$etag", eTag);
                upsert.Parameters.AddWithValue("$hash", hash);
                upsert.ExecuteNonQuery();
                transaction.Commit();
                Interlocked.Increment(ref _changes);
                return ETagFormat.Format(eTag);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    /// <summary>Deletes the reminder if it still has <paramref name="eTag"/>; false (and nothing changed) otherwise.</summary>
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        var (type, key) = GrainColumns(grainId, nameof(grainId));
        ThrowIfInvalidName(grainId, reminderName);
        ArgumentNullException.ThrowIfNull(eTag);
        if (!ETagFormat.TryParse(eTag, out var version))
        {
            // Not a tag this table issued, so it matches no row; still refuse calls on a table that is not open.
            return InTurnAsync(_ => false, cancellationToken);
        }

        return InTurnAsync(
            connection =>
            {
                using var delete = connection.CreateCommand();
                delete.CommandText = "DELETE FROM reminders WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name AND etag = $etag;";
                SetGrain(delete, type, key);
                delete.Parameters.AddWithValue("$name", reminderName);
                delete.Parameters.AddWithValue("$etag", version);
                var removed = delete.ExecuteNonQuery() == 1;
                if (removed)
                {
                    Interlocked.Increment(ref _changes);
                }

                return removed;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    /// <summary>Deletes every reminder in the database (Orleans' test hook; the grain state is untouched).</summary>
    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        InTurnAsync(
            connection =>
            {
                using var delete = connection.CreateCommand();
                delete.CommandText = "DELETE FROM reminders;";
                return delete.ExecuteNonQuery();
            },
            cancellationToken);

    private async Task<T> InTurnAsync<T>(Func<SqliteConnection, T> operation, CancellationToken cancellationToken)
    {
        ThrowIfNotOpen();
        await _turn.WaitAsync(cancellationToken);
        try
        {
            // Checked again in turn: stop may have closed the connection while this call waited.
            ThrowIfNotOpen();
            return operation(_connection!);
        }
        finally
        {
            _turn.Release();
        }
    }

    private void ThrowIfNotOpen()
    {
        switch (Volatile.Read(ref _state))
        {
            case Started:
                return;
            case Stopped:
                throw new ObjectDisposedException(nameof(SqliteReminderTable), "The SQLite reminder table is stopped.");
            default:
                throw new InvalidOperationException("The SQLite reminder table is not started: Orleans' reminder service starts it with the silo; outside a silo call StartAsync first.");
        }
    }

    private static (string Type, string Key) GrainColumns(GrainId grainId, string parameterName)
    {
        if (grainId.IsDefault)
        {
            throw new ArgumentException("A reminder needs a grain; got the default (empty) GrainId.", parameterName);
        }

        var type = grainId.Type.ToString()!;
        var key = grainId.Key.ToString()!;
        StorableText.ThrowIfNotStorable(type, "grain type", parameterName);
        StorableText.ThrowIfNotStorable(key, "grain key", parameterName);
        return (type, key);
    }

    private static void ThrowIfInvalidName(GrainId grainId, string reminderName)
    {
        if (string.IsNullOrEmpty(reminderName))
        {
            throw new ArgumentException($"A reminder of {grainId} needs a non-empty name.", nameof(reminderName));
        }

        StorableText.ThrowIfNotStorable(reminderName, "reminder name", nameof(reminderName));
    }

    private static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };

    private static long NextVersion(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE etag_sequence SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value;";
        return (long)command.ExecuteScalar()!;
    }

    private static List<ReminderEntry> Query(SqliteConnection connection, string sql, Action<SqliteCommand> bind)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        using var reader = command.ExecuteReader();
        var rows = new List<ReminderEntry>();
        while (reader.Read())
        {
            rows.Add(new ReminderEntry
            {
                GrainId = ReminderHashes.Grain(reader.GetString(0), reader.GetString(1)),
                ReminderName = reader.GetString(2),
                StartAt = new DateTime(reader.GetInt64(3), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(4)),
                ETag = ETagFormat.Format(reader.GetInt64(5)),
            });
        }

        return rows;
    }

    private static void SetGrain(SqliteCommand command, string type, string key)
    {
        command.Parameters.AddWithValue("$type", type);
        command.Parameters.AddWithValue("$key", key);
    }
}
