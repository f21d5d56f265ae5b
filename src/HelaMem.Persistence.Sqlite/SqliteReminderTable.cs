using HelaMem.Runtime;
using HelaMem.Runtime.Reminders;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Durable reminders in the <c>reminders</c> table of the provider's SQLite database (usually the same file as
/// the grain state). Reminder traffic is small (a few rows per grain, changed rarely), so one connection serves
/// every call in turn; each change is its own committed transaction before the call returns.
/// </summary>
public sealed class SqliteReminderTable : IReminderTable, IAsyncDisposable
{
    private const string Columns = "grain_type, grain_key, reminder_name, start_at, period, etag";

    private readonly SqliteStorageOptions _options;
    private readonly ILogger<SqliteReminderTable> _logger;
    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private long _changes;
    private int _disposed;

    /// <summary>Opens (creating if needed) and migrates the database.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="StorageSchemaException">The file is not a HelaMem SQLite database this build can use.</exception>
    public SqliteReminderTable(SqliteStorageOptions options, ILogger<SqliteReminderTable> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _logger = logger;
        _connection = SqliteDatabaseOpener.OpenAndMigrate(options, logger, out var schemaVersion);
        SqliteLog.Opened(logger, "reminder table", options.Name, options.DatabasePath, schemaVersion, options.Synchronous);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken = default) =>
        InTurnAsync<IReadOnlyList<ReminderEntry>>(() => Query($"SELECT {Columns} FROM reminders;", _ => { }), cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        ReminderEntryValidation.ThrowIfInvalid(grainId, nameof(grainId));
        return InTurnAsync<IReadOnlyList<ReminderEntry>>(
            () => Query($"SELECT {Columns} FROM reminders WHERE grain_type = $type AND grain_key = $key;", command => SetGrain(command, grainId)),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken = default)
    {
        ReminderEntryValidation.ThrowIfInvalid(grainId, reminderName, nameof(reminderName));
        return InTurnAsync(
            () => Query(
                $"SELECT {Columns} FROM reminders WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name;",
                command =>
                {
                    SetGrain(command, grainId);
                    command.Parameters.AddWithValue("$name", reminderName);
                }).SingleOrDefault(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ReminderEntryValidation.ThrowIfInvalid(entry);
        return InTurnAsync(
            () =>
            {
                using var transaction = _connection.BeginTransaction(deferred: false);
                var eTag = NextVersion(transaction);
                using var upsert = _connection.CreateCommand();
                upsert.Transaction = transaction;
                upsert.CommandText =
                    $"INSERT INTO reminders ({Columns}) VALUES ($type, $key, $name, $startAt, $period, $etag) " +
                    "ON CONFLICT (grain_type, grain_key, reminder_name) DO UPDATE SET start_at = excluded.start_at, period = excluded.period, etag = excluded.etag;";
                SetGrain(upsert, entry.GrainId);
                upsert.Parameters.AddWithValue("$name", entry.ReminderName);
                upsert.Parameters.AddWithValue("$startAt", entry.StartAt.UtcTicks);
                upsert.Parameters.AddWithValue("$period", entry.Period.Ticks);
                upsert.Parameters.AddWithValue("$etag", eTag);
                upsert.ExecuteNonQuery();
                transaction.Commit();
                Interlocked.Increment(ref _changes);
                return ETagFormat.Format(eTag);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken = default)
    {
        ReminderEntryValidation.ThrowIfInvalid(grainId, reminderName, nameof(reminderName));
        ArgumentNullException.ThrowIfNull(eTag);
        if (!ETagFormat.TryParse(eTag, out var version))
        {
            // Not a tag this table issued, so it matches no row.
            return Task.FromResult(false);
        }

        return InTurnAsync(
            () =>
            {
                using var delete = _connection.CreateCommand();
                delete.CommandText = "DELETE FROM reminders WHERE grain_type = $type AND grain_key = $key AND reminder_name = $name AND etag = $etag;";
                SetGrain(delete, grainId);
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

    /// <summary>Waits for the call in progress, then closes the connection; later calls fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _turn.WaitAsync();
        _connection.Dispose();
        // Let calls that were already waiting for their turn run into the disposed check instead of waiting forever.
        _turn.Release();
        var changes = Interlocked.Read(ref _changes);
        SqliteLog.Closed(_logger, "reminder table", _options.Name, _options.DatabasePath, changes, changes);
    }

    private async Task<T> InTurnAsync<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _turn.WaitAsync(cancellationToken);
        try
        {
            // Checked again in turn: dispose may have closed the connection while this call waited.
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return operation();
        }
        finally
        {
            _turn.Release();
        }
    }

    private long NextVersion(SqliteTransaction transaction)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "UPDATE etag_sequence SET last_value = last_value + 1 WHERE id = 1 RETURNING last_value;";
        return (long)command.ExecuteScalar()!;
    }

    private List<ReminderEntry> Query(string sql, Action<SqliteCommand> bind)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        using var reader = command.ExecuteReader();
        var rows = new List<ReminderEntry>();
        while (reader.Read())
        {
            rows.Add(new ReminderEntry(
                new GrainId(reader.GetString(0), reader.GetString(1)),
                reader.GetString(2),
                new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
                TimeSpan.FromTicks(reader.GetInt64(4)),
                ETagFormat.Format(reader.GetInt64(5))));
        }

        return rows;
    }

    private static void SetGrain(SqliteCommand command, GrainId grainId)
    {
        command.Parameters.AddWithValue("$type", grainId.Type);
        command.Parameters.AddWithValue("$key", grainId.Key);
    }
}
