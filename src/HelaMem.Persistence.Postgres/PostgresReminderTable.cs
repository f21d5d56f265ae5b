using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Orleans' reminder table in <c>helamem.reminders</c>, per service (<c>ClusterOptions.ServiceId</c>). Each row keeps
/// its grain as <c>grain_type</c> and <c>grain_key</c> plus Orleans' ring hash of the grain in <c>grain_hash</c>, so
/// the reminder service's range reads are answered by an index. ETags come from the database-wide sequence.
/// </summary>
/// <remarks>
/// Orleans' reminder service calls <see cref="StartAsync"/> at silo start (connect and migrate) and
/// <see cref="StopAsync"/> at stop. Every change is one statement, committed before the call returns; a call that
/// cannot reach the server throws <see cref="PostgresUnavailableException"/>.
/// </remarks>
public sealed class PostgresReminderTable : IReminderTable, IAsyncDisposable
{
    private const string Component = "reminder table";
    private const string Columns = "grain_type, grain_key, reminder_name, start_at, period, etag";
    private const string Table = $"{Migrations.Schema}.reminders";

    private readonly string _serviceId;
    private readonly PostgresDatabase _database;
    private readonly PostgresStorageMetrics _metrics;
    private int _state;

    /// <summary>Creates the table; nothing is connected until <see cref="StartAsync"/>.</summary>
    /// <exception cref="OrleansConfigurationException">An option is invalid.</exception>
    public PostgresReminderTable(PostgresStorageOptions options, string serviceId, ILogger<PostgresReminderTable> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate("Reminders");
        _serviceId = serviceId;
        _database = new PostgresDatabase(Component, "Reminders", options, logger);
        _metrics = new PostgresStorageMetrics("Reminders");
    }

    /// <summary>Connects and migrates the schema. Calling it again does nothing.</summary>
    /// <exception cref="OrleansConfigurationException">The server cannot be reached or refuses the credentials.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == LifecycleState.Stopped, this);
        if (Volatile.Read(ref _state) == LifecycleState.Started)
        {
            return;
        }

        await _database.ConnectAndMigrateAsync(cancellationToken);
        Interlocked.CompareExchange(ref _state, LifecycleState.Started, LifecycleState.NotStarted);
    }

    /// <summary>Closes the connection pool; later calls fail with <see cref="ObjectDisposedException"/>.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _state, LifecycleState.Stopped) == LifecycleState.Stopped)
        {
            return;
        }

        await _database.DisposeAsync();
        _metrics.Dispose();
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    /// <inheritdoc />
    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken)
    {
        var (type, key) = StoredText.GrainColumns(grainId, nameof(grainId));
        return RunAsync("read", $"reading the reminders of {grainId}", isWrite: false, async () =>
        {
            await using var command = Command($"SELECT {Columns} FROM {Table} WHERE service_id = $1 AND grain_type = $2 AND grain_key = $3;", type, key);
            return new ReminderTableData(await QueryAsync(command, cancellationToken));
        });
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
        var condition = begin < end ? "grain_hash > $2 AND grain_hash <= $3" : "(grain_hash > $2 OR grain_hash <= $3)";
        return RunAsync("read_range", $"reading the reminders in ({begin}, {end}]", isWrite: false, async () =>
        {
            await using var command = Command($"SELECT {Columns} FROM {Table} WHERE service_id = $1 AND {condition};", (long)begin, (long)end);
            return new ReminderTableData(await QueryAsync(command, cancellationToken));
        });
    }

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var (type, key) = StoredText.GrainColumns(grainId, nameof(grainId));
        ThrowIfInvalidName(grainId, reminderName);
        return RunAsync("read", $"reading reminder '{reminderName}' of {grainId}", isWrite: false, async () =>
        {
            await using var command = Command($"SELECT {Columns} FROM {Table} WHERE service_id = $1 AND grain_type = $2 AND grain_key = $3 AND reminder_name = $4;", type, key, reminderName);
            return (await QueryAsync(command, cancellationToken)).SingleOrDefault();
        });
    }

    /// <inheritdoc />
    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    /// <summary>Inserts or replaces the reminder; returns its new ETag.</summary>
    /// <remarks>A <see cref="ReminderEntry.StartAt"/> of kind Unspecified is taken as UTC; a local time is converted. Times keep microseconds (PostgreSQL's precision).</remarks>
    public Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var (type, key) = StoredText.GrainColumns(entry.GrainId, nameof(entry));
        ThrowIfInvalidName(entry.GrainId, entry.ReminderName);
        if (entry.Period < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Period, $"Reminder '{entry.ReminderName}' of {entry.GrainId} has a negative period.");
        }

        return RunAsync<string?>("upsert", $"the upsert of reminder '{entry.ReminderName}' of {entry.GrainId}", isWrite: true, async () =>
        {
            await using var command = Command(
                $"INSERT INTO {Table} (service_id, {Columns}, grain_hash) VALUES ($1, $2, $3, $4, $5, $6, nextval('{Migrations.Schema}.etag_sequence'), $7) " +
                "ON CONFLICT (service_id, grain_type, grain_key, reminder_name) DO UPDATE SET start_at = excluded.start_at, period = excluded.period, etag = excluded.etag, grain_hash = excluded.grain_hash " +
                "RETURNING etag;",
                type, key, entry.ReminderName, UtcTimes.ToUtc(entry.StartAt), entry.Period, (long)entry.GrainId.GetUniformHashCode());
            return ETags.Format((long)(await command.ExecuteScalarAsync(cancellationToken))!);
        });
    }

    /// <inheritdoc />
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    /// <summary>Deletes the reminder if it still has <paramref name="eTag"/>; false (and nothing changed) otherwise.</summary>
    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        var (type, key) = StoredText.GrainColumns(grainId, nameof(grainId));
        ThrowIfInvalidName(grainId, reminderName);
        ArgumentNullException.ThrowIfNull(eTag);
        if (!ETags.TryParse(eTag, out var version))
        {
            // Not a tag this table issued, so it matches no row; still refuse calls on a table that is not open.
            ThrowIfNotStarted();
            return Task.FromResult(false);
        }

        return RunAsync("remove", $"the removal of reminder '{reminderName}' of {grainId}", isWrite: true, async () =>
        {
            await using var command = Command($"DELETE FROM {Table} WHERE service_id = $1 AND grain_type = $2 AND grain_key = $3 AND reminder_name = $4 AND etag = $5;", type, key, reminderName, version);
            var removed = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
            if (!removed)
            {
                _metrics.Conflict("remove");
            }

            return removed;
        });
    }

    /// <inheritdoc />
    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    /// <summary>Deletes every reminder of this service (Orleans' test hook); other services' rows are untouched.</summary>
    public Task TestOnlyClearTable(CancellationToken cancellationToken) =>
        RunAsync("clear", "clearing the reminder table", isWrite: true, async () =>
        {
            await using var command = Command($"DELETE FROM {Table} WHERE service_id = $1;");
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });

    private Task<T> RunAsync<T>(string operation, string description, bool isWrite, Func<Task<T>> call)
    {
        ThrowIfNotStarted();
        return _database.MeasuredAsync(_metrics, operation, description, isWrite, call);
    }

    private NpgsqlCommand Command(string sql, params object[] values)
    {
        var command = _database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    private static async Task<List<ReminderEntry>> QueryAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<ReminderEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new ReminderEntry
            {
                GrainId = GrainId.Create(reader.GetString(0), reader.GetString(1)),
                ReminderName = reader.GetString(2),
                StartAt = DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(3), DateTimeKind.Utc),
                Period = reader.GetFieldValue<TimeSpan>(4),
                ETag = ETags.Format(reader.GetInt64(5)),
            });
        }

        return rows;
    }

    private void ThrowIfNotStarted()
    {
        switch (Volatile.Read(ref _state))
        {
            case LifecycleState.Started:
                return;
            case LifecycleState.Stopped:
                throw new ObjectDisposedException(nameof(PostgresReminderTable), "The PostgreSQL reminder table is stopped.");
            default:
                throw new InvalidOperationException("The PostgreSQL reminder table is not started: Orleans' reminder service starts it with the silo; outside a silo call StartAsync first.");
        }
    }

    private static void ThrowIfInvalidName(GrainId grainId, string reminderName)
    {
        if (string.IsNullOrEmpty(reminderName))
        {
            throw new ArgumentException($"A reminder of {grainId} needs a non-empty name.", nameof(reminderName));
        }

        StoredText.ThrowIfNotStorable(reminderName, "reminder name", nameof(reminderName));
    }
}
