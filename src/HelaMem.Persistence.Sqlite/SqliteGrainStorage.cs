using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Orleans grain storage in one SQLite database (WAL) in the data directory. A grain's state is the row
/// (<c>grain_type</c> = <c>grainId.Type.ToString()</c>, <c>grain_key</c> = <c>grainId.Key.ToString()</c>,
/// <c>state_name</c> = the state name), its payload made by <see cref="SqliteStorageOptions.GrainStorageSerializer"/>
/// (System.Text.Json by default) and checked against a CRC-32C on every read. Writes and clears of all grains go
/// through one group-commit writer; reads run on a small pool of connections beside it.
/// </summary>
/// <remarks>
/// <para>
/// On a silo (<see cref="SqliteSiloBuilderExtensions.AddSqliteGrainStorage(Orleans.Hosting.ISiloBuilder, string, Action{SqliteStorageOptions})"/>)
/// the database opens and is migrated at <see cref="SqliteStorageOptions.InitStage"/> of silo start, and at silo
/// stop the writer commits what is queued and closes. Elsewhere call <see cref="StartAsync"/> and
/// <see cref="StopAsync"/> (or dispose).
/// </para>
/// <para>
/// A completed write is committed (with <see cref="SqliteSynchronousMode.Full"/>, fsynced): it survives kill -9 of the
/// process. A write or clear whose ETag no longer matches throws <see cref="InconsistentStateException"/> and changes
/// nothing, in storage or in the <see cref="IGrainState{T}"/>.
/// </para>
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics.Meter"/> the group-commit writer reports on (transactions, operations,
    /// conflicts, batch size, commit duration, pending writes), tagged <c>helamem.storage.provider</c> = <see cref="Name"/>.
    /// </summary>
    public const string MeterName = SqliteStorageMetrics.MeterName;

    /// <summary>
    /// The <see cref="System.Diagnostics.ActivitySource"/> with one client span per read, write and clear
    /// (<c>sqlite read</c>, <c>sqlite write</c>, <c>sqlite clear</c>), children of the calling grain's span.
    /// </summary>
    public const string ActivitySourceName = SqliteStorageActivity.SourceName;

    private const int NotStarted = 0;
    private const int Started = 1;
    private const int Stopped = 2;

    private readonly SqliteStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activatorProvider;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly TimeProvider _timeProvider;
    private readonly object _lifecycleGate = new();
    private GrainStateStore? _store;
    private int _state;

    /// <summary>Creates the provider; nothing is opened until <see cref="StartAsync"/> (silo start).</summary>
    /// <param name="name">The provider's name, as grains name it in <c>[PersistentState(stateName, name)]</c>.</param>
    /// <param name="options">Where the database is and how it is written.</param>
    /// <param name="activatorProvider">Creates the default state of a grain that has none stored (Orleans' activators).</param>
    /// <param name="logger">The provider's log.</param>
    /// <param name="timeProvider">The clock for the rows' <c>updated_at</c>; the system clock when null.</param>
    /// <exception cref="ArgumentException">The name is empty or an option is invalid.</exception>
    public SqliteGrainStorage(string name, SqliteStorageOptions options, IActivatorProvider activatorProvider, ILogger<SqliteGrainStorage> logger, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activatorProvider);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        Name = name;
        _options = options;
        _serializer = options.GrainStorageSerializer;
        _activatorProvider = activatorProvider;
        _logger = logger;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The provider's name.</summary>
    public string Name { get; }

    /// <summary>How well group commit is coalescing: transactions, the operations they held, the largest one (zero before start).</summary>
    public GroupCommitStatistics Statistics => Volatile.Read(ref _store)?.Statistics ?? default;

    /// <summary>Opens (creating if needed) and migrates the database and starts the writer. Calling it again does nothing.</summary>
    /// <exception cref="StorageSchemaException">The file is not a HelaMem SQLite database this build can use.</exception>
    /// <exception cref="ObjectDisposedException">The provider was stopped.</exception>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lifecycleGate)
        {
            ObjectDisposedException.ThrowIf(_state == Stopped, this);
            if (_state == Started)
            {
                return Task.CompletedTask;
            }

            Volatile.Write(ref _store, new GrainStateStore(Name, _options, _logger, _timeProvider));
            _state = Started;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stops accepting writes, commits the writes already queued (whatever <paramref name="cancellationToken"/> says:
    /// an acknowledged write must not be lost), then closes every connection. Later calls fail with
    /// <see cref="ObjectDisposedException"/>.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        GrainStateStore? store;
        lock (_lifecycleGate)
        {
            if (_state == Stopped)
            {
                return;
            }

            _state = Stopped;
            store = _store;
        }

        if (store is not null)
        {
            await store.DisposeAsync();
        }
    }

    /// <summary>Same as <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync() => await StopAsync();

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{Name}", _options.InitStage, StartAsync, StopAsync);
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        ReadStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = StateKey.From(grainId, stateName);
        using var activity = SqliteStorageActivity.Start("read", Name, grainId, stateName);
        try
        {
            var stored = await Store().ReadAsync(key, cancellationToken);
            if (stored is null)
            {
                grainState.State = CreateDefault<T>();
                grainState.ETag = null;
                grainState.RecordExists = false;
                return;
            }

            var state = Deserialize<T>(key, stored.Payload);
            grainState.State = state ?? CreateDefault<T>();
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }
        catch (Exception error)
        {
            SqliteStorageActivity.Failed(activity, error);
            throw;
        }
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, CancellationToken.None);

    /// <inheritdoc />
    /// <exception cref="InconsistentStateException">The stored ETag is not <c>grainState.ETag</c>; nothing was written.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The serialized state is larger than <see cref="SqliteStorageOptions.MaxPayloadBytes"/>; nothing was written.</exception>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = StateKey.From(grainId, stateName);
        using var activity = SqliteStorageActivity.Start("write", Name, grainId, stateName);
        try
        {
            await WriteAsync(key, grainState, cancellationToken);
        }
        catch (Exception error)
        {
            SqliteStorageActivity.Failed(activity, error);
            throw;
        }
    }

    private async Task WriteAsync<T>(StateKey key, IGrainState<T> grainState, CancellationToken cancellationToken)
    {
        var store = Store();
        var payload = OwnBytes(_serializer.Serialize(grainState.State));
        if (payload.Length > _options.MaxPayloadBytes)
        {
            throw new ArgumentOutOfRangeException(
                nameof(grainState),
                payload.Length,
                $"The serialized state {key} is {payload.Length} bytes; this provider stores at most {_options.MaxPayloadBytes} (SqliteStorageOptions.MaxPayloadBytes). Nothing was written.");
        }

        var eTag = await store.WriteAsync(key, payload, grainState.ETag, cancellationToken);
        grainState.ETag = eTag;
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
        var key = StateKey.From(grainId, stateName);
        using var activity = SqliteStorageActivity.Start("clear", Name, grainId, stateName);
        try
        {
            await Store().ClearAsync(key, grainState.ETag, cancellationToken);
        }
        catch (Exception error)
        {
            SqliteStorageActivity.Failed(activity, error);
            throw;
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = CreateDefault<T>();
    }

    private GrainStateStore Store()
    {
        if (Volatile.Read(ref _store) is { } store)
        {
            return store;
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == Stopped, this);
        throw new InvalidOperationException(
            $"SQLite grain storage '{Name}' is not started. On a silo it opens at lifecycle stage {_options.InitStage} (SqliteStorageOptions.InitStage); outside a silo call StartAsync first.");
    }

    private T? Deserialize<T>(StateKey key, byte[] payload)
    {
        try
        {
            return _serializer.Deserialize<T>(new BinaryData(payload));
        }
#pragma warning disable CA1031 // Any serializer failure is reported the same way: which state, which type, and the cause inside.
        catch (Exception error)
#pragma warning restore CA1031
        {
            SqliteLog.StateUnreadable(_logger, error, key, typeof(T).FullName);
            throw new InvalidOperationException($"The stored state {key} could not be read as {typeof(T).FullName}: {error.Message}", error);
        }
    }

    private T CreateDefault<T>() => _activatorProvider.GetActivator<T>().Create();

    // The serializer's own buffer when it handed over a whole array (BinaryData is immutable); otherwise a copy.
    private static byte[] OwnBytes(BinaryData data) =>
        MemoryMarshal.TryGetArray(data.ToMemory(), out var segment) && segment.Array is { } array && segment.Offset == 0 && segment.Count == array.Length
            ? array
            : data.ToArray();
}
