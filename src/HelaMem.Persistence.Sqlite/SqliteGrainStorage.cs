using HelaMem.Runtime.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Grain state in one SQLite database (WAL) in the data directory. Writes and clears from all grains go through
/// one group-commit writer that coalesces them into transactions while each keeps its own outcome; reads run
/// on a small pool of connections beside it. The schema is migrated when the provider is created.
/// </summary>
/// <remarks>
/// A returned write is committed (with <see cref="SqliteSynchronousMode.Full"/>, fsynced): it survives kill -9
/// of the process. Dispose commits the writes already queued and closes every connection.
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, IAsyncDisposable
{
    private readonly SqliteStorageOptions _options;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly SqliteConnection _writerConnection;
    private readonly GrainStateBatchWriter _batchWriter;
    private readonly ReadConnectionPool _readers;
    private readonly GroupCommitQueue _queue;
    private int _disposed;

    /// <summary>Opens (creating if needed) and migrates the database, then starts the writer.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    /// <exception cref="StorageSchemaException">The file is not a HelaMem SQLite database this build can use.</exception>
    public SqliteGrainStorage(SqliteStorageOptions options, ILogger<SqliteGrainStorage> logger)
        : this(options, logger, TimeProvider.System)
    {
    }

    /// <summary>As the public constructor, with a clock for <see cref="StoredGrainState.UpdatedAt"/>.</summary>
    public SqliteGrainStorage(SqliteStorageOptions options, ILogger<SqliteGrainStorage> logger, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        _options = options;
        _logger = logger;
        Name = options.Name;

        _writerConnection = SqliteDatabaseOpener.OpenAndMigrate(options, logger, out var schemaVersion);
        GrainStateBatchWriter? batchWriter = null;
        try
        {
            batchWriter = new GrainStateBatchWriter(_writerConnection, timeProvider, logger);
            _readers = new ReadConnectionPool(options);
        }
        catch
        {
            batchWriter?.Dispose();
            _writerConnection.Dispose();
            throw;
        }

        _batchWriter = batchWriter;
        _queue = new GroupCommitQueue(options.Name, options, _batchWriter.Execute, logger);
        SqliteLog.Opened(logger, "grain storage", Name, options.DatabasePath, schemaVersion, options.Synchronous);
    }

    /// <summary>
    /// The <see cref="System.Diagnostics.Metrics.Meter"/> the group-commit writer reports on (transactions, operations,
    /// conflicts, batch size, commit duration, pending writes), tagged <c>helamem.storage.provider</c> = <see cref="Name"/>.
    /// </summary>
    public const string MeterName = SqliteStorageMetrics.MeterName;

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>How well group commit is coalescing: transactions, the operations they held, the largest one.</summary>
    public GroupCommitStatistics Statistics => new(_queue.Batches, _queue.Operations, _queue.LargestBatch);

    /// <inheritdoc />
    public Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default)
    {
        GrainStateKeyValidation.ThrowIfInvalid(key);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _readers.ReadAsync(key, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<string> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        GrainStateKeyValidation.ThrowIfInvalid(key);
        if (payload.Length > _options.MaxPayloadBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(payload), payload.Length, $"The payload for {key} is {payload.Length} bytes; this provider stores at most {_options.MaxPayloadBytes} (SqliteStorageOptions.MaxPayloadBytes). Nothing was written.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        // The provider's own copy: the caller may reuse its buffer as soon as the call returns (or is cancelled).
        var write = new PendingWrite(key, payload.ToArray(), expectedETag);
        return (await _queue.SubmitAsync(write, cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task ClearAsync(GrainStateKey key, string? expectedETag, CancellationToken cancellationToken = default)
    {
        GrainStateKeyValidation.ThrowIfInvalid(key);
        cancellationToken.ThrowIfCancellationRequested();
        await _queue.SubmitAsync(new PendingWrite(key, payload: null, expectedETag), cancellationToken);
    }

    /// <summary>Commits the writes already queued, then closes the writer and every read connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _queue.DisposeAsync();
        _batchWriter.Dispose();
        _writerConnection.Dispose();
        await _readers.DisposeAsync();
        SqliteLog.Closed(_logger, "grain storage", Name, _options.DatabasePath, _queue.Operations, _queue.Batches);
    }
}
