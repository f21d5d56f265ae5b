using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Orleans' membership table in <c>helamem.membership</c> and <c>helamem.membership_version</c>, per cluster
/// (<c>ClusterOptions.ClusterId</c>). Every insert or update of a silo's row changes the table version in the same
/// transaction, conditioned on the version's ETag the writer read: of any number of silos racing to write the
/// next version, exactly one commits and the others get <c>false</c> and re-read (Orleans' membership protocol).
/// </summary>
/// <remarks>
/// The version row is updated first: a racing writer blocks on its row lock and, once the winner commits,
/// PostgreSQL re-checks the ETag condition against the new row and finds no match. Reads take the version and the
/// rows in one statement, so they see one snapshot. A call that cannot reach the server throws
/// <see cref="PostgresUnavailableException"/>.
/// </remarks>
public sealed class PostgresMembershipTable : IMembershipTable, IAsyncDisposable
{
    private const string Component = "membership table";
    private const string Columns =
        "m.silo_address, m.status, m.proxy_port, m.host_name, m.silo_name, m.role_name, m.update_zone, m.fault_zone, m.start_time, m.i_am_alive_time, m.suspecters, m.suspect_times, m.etag";

    // Before the version row exists (a client reading a cluster no silo has initialized): version 0 with an ETag
    // the sequence never issues, so no insert can succeed against it.
    private static readonly TableVersion NoVersion = new(0, "0");

    private readonly string _clusterId;
    private readonly ILogger<PostgresMembershipTable> _logger;
    private readonly PostgresDatabase _database;
    private readonly PostgresStorageMetrics _metrics;
    private int _state;

    /// <summary>Creates the table; nothing is connected until <see cref="InitializeMembershipTable"/>.</summary>
    /// <exception cref="OrleansConfigurationException">An option is invalid.</exception>
    public PostgresMembershipTable(PostgresStorageOptions options, string clusterId, ILogger<PostgresMembershipTable> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate("Clustering");
        _clusterId = clusterId;
        _logger = logger;
        _database = new PostgresDatabase(Component, "Clustering", options, logger);
        _metrics = new PostgresStorageMetrics("Clustering");
    }

    /// <inheritdoc />
    public Task InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion, CancellationToken.None);

    /// <summary>Connects, migrates the schema and (when <paramref name="tryInitTableVersion"/>) creates the cluster's version row if missing.</summary>
    /// <exception cref="OrleansConfigurationException">The server cannot be reached or refuses the credentials.</exception>
    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == LifecycleState.Stopped, this);
        if (Volatile.Read(ref _state) == LifecycleState.NotStarted)
        {
            await _database.ConnectAndMigrateAsync(cancellationToken);
            Interlocked.CompareExchange(ref _state, LifecycleState.Started, LifecycleState.NotStarted);
        }

        if (tryInitTableVersion)
        {
            await RunAsync("init", "creating the table version", isWrite: true, async () =>
            {
                await using var command = _database.DataSource.CreateCommand(
                    $"INSERT INTO {Migrations.Schema}.membership_version (cluster_id, version, etag) VALUES ($1, 0, nextval('{Migrations.Schema}.etag_sequence')) ON CONFLICT DO NOTHING;");
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clusterId });
                return await command.ExecuteNonQueryAsync(cancellationToken);
            });
        }
    }

    /// <inheritdoc />
    public Task DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId, CancellationToken.None);

    /// <summary>Deletes the rows and the version of <paramref name="clusterId"/> (not necessarily this table's cluster).</summary>
    public Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(clusterId);
        return RunAsync("delete", $"deleting the membership of cluster {clusterId}", isWrite: true, async () =>
        {
            // The silo rows go with their version row (ON DELETE CASCADE).
            await using var command = _database.DataSource.CreateCommand($"DELETE FROM {Migrations.Schema}.membership_version WHERE cluster_id = $1;");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clusterId });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });
    }

    /// <inheritdoc />
    public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate, CancellationToken.None);

    /// <summary>Deletes the entries of dead silos whose last sign of life (start or I-am-alive) is before <paramref name="beforeDate"/>.</summary>
    /// <remarks>The table version is unchanged: nobody reads a dead silo's row to make a decision.</remarks>
    public Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken cancellationToken) =>
        RunAsync("cleanup", "removing defunct silo entries", isWrite: true, async () =>
        {
            await using var command = _database.DataSource.CreateCommand(
                $"DELETE FROM {Migrations.Schema}.membership WHERE cluster_id = $1 AND status = $2 AND greatest(start_time, i_am_alive_time) < $3;");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clusterId });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)SiloStatus.Dead });
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = beforeDate.ToUniversalTime() });
            var rows = await command.ExecuteNonQueryAsync(cancellationToken);
            if (rows > 0)
            {
                PostgresLog.DefunctRemoved(_logger, rows, _clusterId, beforeDate);
            }

            return rows;
        });

    /// <inheritdoc />
    public Task<MembershipTableData> ReadRow(SiloAddress key) => ReadRowAsync(key, CancellationToken.None);

    /// <inheritdoc />
    public Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadAsync(key, cancellationToken);
    }

    /// <inheritdoc />
    public Task<MembershipTableData> ReadAll() => ReadAllAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken) => ReadAsync(silo: null, cancellationToken);

    /// <inheritdoc />
    public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion, CancellationToken.None);

    /// <inheritdoc />
    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        ArgumentNullException.ThrowIfNull(entry.SiloAddress);
        return ChangeAsync("insert", entry, tableVersion, async (connection, transaction) =>
        {
            await using var insert = new NpgsqlCommand(
                $"INSERT INTO {Migrations.Schema}.membership (cluster_id, silo_address, status, proxy_port, host_name, silo_name, role_name, update_zone, fault_zone, start_time, i_am_alive_time, suspecters, suspect_times, etag) " +
                $"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, nextval('{Migrations.Schema}.etag_sequence')) ON CONFLICT DO NOTHING;",
                connection,
                transaction);
            AddEntry(insert, entry);
            return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion, CancellationToken.None);

    /// <inheritdoc />
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        ArgumentNullException.ThrowIfNull(entry.SiloAddress);
        if (!ETags.TryParse(etag, out var rowETag))
        {
            // Not an ETag this table issued: it matches no row. Still a call on an open table only.
            ThrowIfNotStarted();
            return Task.FromResult(false);
        }

        return ChangeAsync("update", entry, tableVersion, async (connection, transaction) =>
        {
            await using var update = new NpgsqlCommand(
                $"UPDATE {Migrations.Schema}.membership SET status = $3, proxy_port = $4, host_name = $5, silo_name = $6, role_name = $7, update_zone = $8, fault_zone = $9, " +
                $"start_time = $10, i_am_alive_time = $11, suspecters = $12, suspect_times = $13, etag = nextval('{Migrations.Schema}.etag_sequence') " +
                "WHERE cluster_id = $1 AND silo_address = $2 AND etag = $14;",
                connection,
                transaction);
            AddEntry(update, entry);
            update.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rowETag });
            return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry, CancellationToken.None);

    /// <summary>Writes only the I-am-alive time of the silo's row: no ETag check, neither the row's ETag nor the table version changes.</summary>
    public Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(entry.SiloAddress);
        return RunAsync("i_am_alive", $"the I-am-alive of {entry.SiloAddress}", isWrite: true, async () =>
        {
            await using var command = _database.DataSource.CreateCommand($"UPDATE {Migrations.Schema}.membership SET i_am_alive_time = $3 WHERE cluster_id = $1 AND silo_address = $2;");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clusterId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.SiloAddress.ToParsableString() });
            command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = UtcTimes.ToUtc(entry.IAmAliveTime) });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        });
    }

    /// <summary>Closes the connection pool; later calls fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _state, LifecycleState.Stopped) == LifecycleState.Stopped)
        {
            return;
        }

        await _database.DisposeAsync();
        _metrics.Dispose();
    }

    private Task<MembershipTableData> ReadAsync(SiloAddress? silo, CancellationToken cancellationToken) =>
        RunAsync(silo is null ? "read_all" : "read_row", silo is null ? "reading the membership table" : $"reading the membership row of {silo}", isWrite: false, async () =>
        {
            // One statement, so the version and the rows come from one snapshot.
            var rowFilter = silo is null ? "" : " AND m.silo_address = $2";
            await using var command = _database.DataSource.CreateCommand(
                $"SELECT v.version, v.etag, {Columns} FROM {Migrations.Schema}.membership_version v " +
                $"LEFT JOIN {Migrations.Schema}.membership m ON m.cluster_id = v.cluster_id{rowFilter} WHERE v.cluster_id = $1;");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clusterId });
            if (silo is not null)
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = silo.ToParsableString() });
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var version = NoVersion;
            var members = new List<Tuple<MembershipEntry, string>>();
            while (await reader.ReadAsync(cancellationToken))
            {
                version = new TableVersion(reader.GetInt32(0), ETags.Format(reader.GetInt64(1)));
                if (!reader.IsDBNull(2))
                {
                    members.Add(Tuple.Create(ReadEntry(reader), ETags.Format(reader.GetInt64(14))));
                }
            }

            return new MembershipTableData(members, version);
        });

    private async Task<bool> ChangeAsync(string operation, MembershipEntry entry, TableVersion tableVersion, Func<NpgsqlConnection, NpgsqlTransaction, Task<bool>> changeRow, CancellationToken cancellationToken)
    {
        var changed = await RunAsync(operation, $"the membership {operation} of {entry.SiloAddress}", isWrite: true, async () =>
        {
            if (!ETags.TryParse(tableVersion.VersionEtag, out var versionETag))
            {
                return false;
            }

            await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var bump = new NpgsqlCommand(
                $"UPDATE {Migrations.Schema}.membership_version SET version = $2, etag = nextval('{Migrations.Schema}.etag_sequence') WHERE cluster_id = $1 AND etag = $3;",
                connection,
                transaction);
            bump.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clusterId });
            bump.Parameters.Add(new NpgsqlParameter<int> { TypedValue = tableVersion.Version });
            bump.Parameters.Add(new NpgsqlParameter<long> { TypedValue = versionETag });
            if (await bump.ExecuteNonQueryAsync(cancellationToken) != 1 || !await changeRow(connection, transaction))
            {
                await transaction.RollbackAsync(CancellationToken.None);
                return false;
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        });

        if (!changed)
        {
            _metrics.Conflict(operation);
            PostgresLog.MembershipConflict(_logger, operation, entry.SiloAddress, _clusterId, tableVersion.Version);
        }

        return changed;
    }

    private Task<T> RunAsync<T>(string operation, string description, bool isWrite, Func<Task<T>> call)
    {
        ThrowIfNotStarted();
        return _database.MeasuredAsync(_metrics, operation, description, isWrite, call);
    }

    private void AddEntry(NpgsqlCommand command, MembershipEntry entry)
    {
        var suspects = entry.SuspectTimes ?? [];
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _clusterId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.SiloAddress.ToParsableString() });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = (int)entry.Status });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.ProxyPort });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.HostName ?? "" });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.SiloName ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)entry.RoleName ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.UpdateZone });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = entry.FaultZone });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = UtcTimes.ToUtc(entry.StartTime) });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = UtcTimes.ToUtc(entry.IAmAliveTime) });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. suspects.Select(s => s.Item1.ToParsableString())] });
        command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. suspects.Select(s => UtcTimes.ToUtc(s.Item2))] });
    }

    private static MembershipEntry ReadEntry(NpgsqlDataReader reader)
    {
        var suspecters = reader.GetFieldValue<string[]>(12);
        var suspectTimes = reader.GetFieldValue<DateTime[]>(13);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.FromParsableString(reader.GetString(2)),
            Status = (SiloStatus)reader.GetInt32(3),
            ProxyPort = reader.GetInt32(4),
            HostName = reader.GetString(5),
            SiloName = reader.GetString(6),
            RoleName = reader.IsDBNull(7) ? null : reader.GetString(7),
            UpdateZone = reader.GetInt32(8),
            FaultZone = reader.GetInt32(9),
            StartTime = Utc(reader.GetFieldValue<DateTime>(10)),
            IAmAliveTime = Utc(reader.GetFieldValue<DateTime>(11)),
            SuspectTimes = [.. suspecters.Zip(suspectTimes, (silo, time) => Tuple.Create(SiloAddress.FromParsableString(silo), Utc(time)))],
        };
    }

    private static DateTime Utc(DateTime value) => DateTime.SpecifyKind(value, DateTimeKind.Utc);

    private void ThrowIfNotStarted()
    {
        switch (Volatile.Read(ref _state))
        {
            case LifecycleState.Started:
                return;
            case LifecycleState.Stopped:
                throw new ObjectDisposedException(nameof(PostgresMembershipTable), "The PostgreSQL membership table is stopped.");
            default:
                throw new InvalidOperationException("The PostgreSQL membership table is not initialized: Orleans calls InitializeMembershipTable at silo start.");
        }
    }
}
