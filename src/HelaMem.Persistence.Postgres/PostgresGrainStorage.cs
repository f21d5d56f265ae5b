using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Orleans grain storage in <c>helamem.grain_state</c>: one row per (service, grain type, grain key, state name),
/// its payload made by <see cref="PostgresStorageOptions.GrainStorageSerializer"/> and its ETag the row's
/// <c>version</c>, drawn from a database-wide sequence at every write. Every write is one conditional statement
/// (INSERT ... ON CONFLICT DO NOTHING for a writer that expects no record, UPDATE ... WHERE version = the expected
/// ETag otherwise), so of racing writers holding the same ETag exactly one changes the row, on any silo.
/// </summary>
/// <remarks>
/// A completed write is committed by PostgreSQL. A write whose ETag no longer matches throws
/// <see cref="InconsistentStateException"/> and changes nothing; a call that cannot reach the server throws
/// <see cref="PostgresUnavailableException"/>. On a silo the provider connects and migrates the schema at
/// <see cref="PostgresStorageOptions.InitStage"/>; elsewhere call <see cref="StartAsync"/>.
/// </remarks>
public sealed class PostgresGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>The meter the providers report on (read and write durations, conflicts, unavailable calls).</summary>
    public const string MeterName = PostgresStorageMetrics.MeterName;

    private const string Component = "grain storage";
    private const string KeyPredicate = "service_id = $1 AND grain_type = $2 AND grain_key = $3 AND state_name = $4";

    private readonly PostgresStorageOptions _options;
    private readonly string _serviceId;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger<PostgresGrainStorage> _logger;
    private readonly PostgresDatabase _database;
    private readonly PostgresStorageMetrics _metrics;
    private int _state;

    /// <summary>Creates the provider; nothing is connected until <see cref="StartAsync"/> (silo start).</summary>
    /// <param name="name">The provider's name, as grains name it in <c>[PersistentState(stateName, name)]</c>.</param>
    /// <param name="options">The connection string and limits; its serializer must be set.</param>
    /// <param name="serviceId">Orleans' <c>ClusterOptions.ServiceId</c>: rows are kept per service.</param>
    /// <param name="activatorProvider">Creates the default state of a grain that has none stored.</param>
    /// <param name="logger">The provider's log.</param>
    /// <exception cref="OrleansConfigurationException">An option is invalid.</exception>
    public PostgresGrainStorage(string name, PostgresStorageOptions options, string serviceId, IActivatorProvider activatorProvider, ILogger<PostgresGrainStorage> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        ArgumentNullException.ThrowIfNull(activatorProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate(name);
        if (options.GrainStorageSerializer is null)
        {
            throw new OrleansConfigurationException($"PostgresStorageOptions.GrainStorageSerializer of the PostgreSQL grain storage '{name}' is not set and no IGrainStorageSerializer is registered.");
        }

        Name = name;
        _options = options;
        _serviceId = serviceId;
        _serializer = options.GrainStorageSerializer;
        _activatorProvider = activatorProvider;
        _logger = logger;
        _database = new PostgresDatabase(Component, name, options, logger);
        _metrics = new PostgresStorageMetrics(name);
    }

    /// <summary>The provider's name.</summary>
    public string Name { get; }

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
        PostgresLog.SerializerChosen(_logger, Name, _serializer.GetType().FullName ?? _serializer.GetType().Name);
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
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe($"{nameof(PostgresGrainStorage)}-{Name}", _options.InitStage, StartAsync, StopAsync);
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = Key(grainId, stateName);
        ThrowIfNotStarted();
        var started = Stopwatch.GetTimestamp();
        (long Version, byte[] Payload)? stored;
        try
        {
            await using var command = Command($"SELECT version, payload FROM {Migrations.Schema}.grain_state WHERE {KeyPredicate};", key);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            stored = await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)) : null;
        }
        catch (Exception error) when (PostgresDatabase.IsUnavailable(error))
        {
            throw Unavailable(error, "read", $"the read of {key}");
        }

        _metrics.Read("read", started);
        if (stored is not { } row)
        {
            grainState.State = CreateDefault<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = Deserialize<T>(key, row.Payload) ?? CreateDefault<T>();
        grainState.ETag = ETags.Format(row.Version);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    /// <exception cref="InconsistentStateException">The stored ETag is not <c>grainState.ETag</c>; nothing was written.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The serialized state exceeds <see cref="PostgresStorageOptions.MaxPayloadBytes"/>; nothing was written.</exception>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = Key(grainId, stateName);
        ThrowIfNotStarted();
        var payload = OwnBytes(_serializer.Serialize(grainState.State));
        if (payload.Length > _options.MaxPayloadBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(grainState),
                payload.Length,
                $"The serialized state {key} is {payload.Length} bytes; this provider stores at most {_options.MaxPayloadBytes} (PostgresStorageOptions.MaxPayloadBytes). Nothing was written.");
        }

        var expected = grainState.ETag;
        var started = Stopwatch.GetTimestamp();
        long? written = null;
        try
        {
            if (expected is null)
            {
                await using var insert = Command(
                    $"INSERT INTO {Migrations.Schema}.grain_state (service_id, grain_type, grain_key, state_name, version, payload, updated_at) " +
                    $"VALUES ($1, $2, $3, $4, nextval('{Migrations.Schema}.etag_sequence'), $5, now()) ON CONFLICT DO NOTHING RETURNING version;",
                    key,
                    new NpgsqlParameter<byte[]> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Bytea });
                written = (long?)await insert.ExecuteScalarAsync(cancellationToken);
            }
            else if (ETags.TryParse(expected, out var version))
            {
                await using var update = Command(
                    $"UPDATE {Migrations.Schema}.grain_state SET version = nextval('{Migrations.Schema}.etag_sequence'), payload = $5, updated_at = now() " +
                    $"WHERE {KeyPredicate} AND version = $6 RETURNING version;",
                    key,
                    new NpgsqlParameter<byte[]> { TypedValue = payload, NpgsqlDbType = NpgsqlDbType.Bytea },
                    new NpgsqlParameter<long> { TypedValue = version });
                written = (long?)await update.ExecuteScalarAsync(cancellationToken);
            }

            if (written is null)
            {
                throw await ConflictAsync(key, "write", expected, cancellationToken);
            }
        }
        catch (Exception error) when (PostgresDatabase.IsUnavailable(error))
        {
            throw Unavailable(error, "write", $"the write of {key}");
        }

        _metrics.Wrote("write", started);
        grainState.ETag = ETags.Format(written.Value);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ClearStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    /// <exception cref="InconsistentStateException">The stored ETag is not <c>grainState.ETag</c>; nothing was deleted.</exception>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = Key(grainId, stateName);
        ThrowIfNotStarted();
        var expected = grainState.ETag;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var cleared = false;
            if (expected is null)
            {
                // Clearing what the writer believes absent succeeds only if it is absent; there is nothing to delete.
                cleared = await ProbeAsync(key, cancellationToken) is null;
            }
            else if (ETags.TryParse(expected, out var version))
            {
                await using var delete = Command(
                    $"DELETE FROM {Migrations.Schema}.grain_state WHERE {KeyPredicate} AND version = $5;",
                    key,
                    new NpgsqlParameter<long> { TypedValue = version });
                cleared = await delete.ExecuteNonQueryAsync(cancellationToken) == 1;
            }

            if (!cleared)
            {
                throw await ConflictAsync(key, "clear", expected, cancellationToken);
            }
        }
        catch (Exception error) when (PostgresDatabase.IsUnavailable(error))
        {
            throw Unavailable(error, "clear", $"the clear of {key}");
        }

        _metrics.Wrote("clear", started);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = CreateDefault<T>();
    }

    private async Task<InconsistentStateException> ConflictAsync(StateRow key, string operation, string? expected, CancellationToken cancellationToken)
    {
        var stored = await ProbeAsync(key, cancellationToken) is { } version ? ETags.Format(version) : null;
        _metrics.Conflict(operation);
        PostgresLog.WriteConflict(_logger, key.StateName, key.GrainType, key.GrainKey, expected, stored);
        var wanted = expected is null ? "no record (ETag null)" : $"ETag '{expected}'";
        var found = stored is null ? "no record" : $"ETag '{stored}'";
        return new InconsistentStateException(
            $"The {operation} of state {key} expected {wanted} but storage holds {found}; nothing was changed. Read the state again before retrying.",
            storedEtag: stored,
            currentEtag: expected);
    }

    private async Task<long?> ProbeAsync(StateRow key, CancellationToken cancellationToken)
    {
        await using var probe = Command($"SELECT version FROM {Migrations.Schema}.grain_state WHERE {KeyPredicate};", key);
        return (long?)await probe.ExecuteScalarAsync(cancellationToken);
    }

    private NpgsqlCommand Command(string sql, StateRow key, params NpgsqlParameter[] more)
    {
        var command = _database.DataSource.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainType });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.GrainKey });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.StateName });
        command.Parameters.AddRange(more);
        return command;
    }

    private PostgresUnavailableException Unavailable(Exception error, string operation, string description)
    {
        _metrics.Unavailable(operation);
        return _database.Unavailable(error, description);
    }

    private void ThrowIfNotStarted()
    {
        switch (Volatile.Read(ref _state))
        {
            case LifecycleState.Started:
                return;
            case LifecycleState.Stopped:
                throw new ObjectDisposedException(nameof(PostgresGrainStorage), $"PostgreSQL grain storage '{Name}' is stopped.");
            default:
                throw new InvalidOperationException(
                    $"PostgreSQL grain storage '{Name}' is not started. On a silo it connects at lifecycle stage {_options.InitStage} (PostgresStorageOptions.InitStage); outside a silo call StartAsync first.");
        }
    }

    private static StateRow Key(GrainId grainId, string stateName)
    {
        if (string.IsNullOrEmpty(stateName))
        {
            throw new ArgumentException($"Grain state of {grainId} needs a state name.", nameof(stateName));
        }

        var (type, key) = StoredText.GrainColumns(grainId, nameof(grainId));
        StoredText.ThrowIfNotStorable(stateName, "state name", nameof(stateName));
        return new StateRow(type, key, stateName);
    }

    private T? Deserialize<T>(StateRow key, byte[] payload)
    {
        try
        {
            return _serializer.Deserialize<T>(new BinaryData(payload));
        }
#pragma warning disable CA1031 // Any serializer failure is reported the same way: which state, which type, and the cause inside.
        catch (Exception error)
#pragma warning restore CA1031
        {
            PostgresLog.StateUnreadable(_logger, error, key.StateName, key.GrainType, key.GrainKey, typeof(T).FullName);
            throw new InvalidOperationException($"The stored state {key} could not be read as {typeof(T).FullName}: {error.Message}", error);
        }
    }

    private T CreateDefault<T>() => _activatorProvider.GetActivator<T>().Create();

    // The serializer's own buffer when it handed over a whole array (BinaryData is immutable); otherwise a copy.
    private static byte[] OwnBytes(BinaryData data) =>
        MemoryMarshal.TryGetArray(data.ToMemory(), out var segment) && segment.Array is { } array && segment.Offset == 0 && segment.Count == array.Length
            ? array
            : data.ToArray();

    private readonly record struct StateRow(string GrainType, string GrainKey, string StateName)
    {
        public override string ToString() => $"'{StateName}' of grain {GrainType}/{GrainKey}";
    }
}
