using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// The byte-level store under <see cref="SqliteGrainStorage"/>: one open database with its group-commit writer
/// and read pool. Writes and clears from all grains go through the writer, which coalesces them into transactions
/// while each keeps its own outcome (an ETag conflict fails only its own write); reads run beside it.
/// </summary>
/// <remarks>
/// A returned write is committed (with <see cref="SqliteSynchronousMode.Full"/>, fsynced): it survives kill -9 of
/// the process. Dispose commits the writes already queued and closes every connection.
/// </remarks>
internal sealed class GrainStateStore : IAsyncDisposable
{
    private readonly SqliteStorageOptions _options;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly SqliteConnection _writerConnection;
    private readonly GrainStateBatchWriter _batchWriter;
    private readonly ReadConnectionPool _readers;
    private readonly GroupCommitQueue _queue;
    private int _disposed;

    /// <summary>Opens (creating if needed) and migrates the database, then starts the writer.</summary>
    /// <exception cref="StorageSchemaException">The file is not a HelaMem SQLite database this build can use.</exception>
    public GrainStateStore(string name, SqliteStorageOptions options, ILogger logger, TimeProvider timeProvider)
    {
        _options = options;
        _name = name;
        _logger = logger;

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
        _queue = new GroupCommitQueue(name, options, _batchWriter.Execute, logger);
        SqliteLog.Opened(logger, "grain storage", name, options.DatabasePath, schemaVersion, options.Synchronous);
    }

    public GroupCommitStatistics Statistics => new(_queue.Batches, _queue.Operations, _queue.LargestBatch);

    public Task<StoredState?> ReadAsync(StateKey key, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(SqliteGrainStorage));
        return _readers.ReadAsync(key, cancellationToken);
    }

    /// <summary>Stores <paramref name="payload"/> (which the caller no longer changes) if the row still has <paramref name="expectedETag"/>; returns the new ETag.</summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">The stored ETag differs; nothing was written.</exception>
    public async Task<string> WriteAsync(StateKey key, byte[] payload, string? expectedETag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return (await _queue.SubmitAsync(new PendingWrite(key, payload, expectedETag), cancellationToken))!;
    }

    /// <summary>Deletes the row if it still has <paramref name="expectedETag"/> (or, for null, if there is no row).</summary>
    /// <exception cref="Orleans.Storage.InconsistentStateException">The stored ETag differs; nothing was deleted.</exception>
    public async Task ClearAsync(StateKey key, string? expectedETag, CancellationToken cancellationToken)
    {
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
        SqliteLog.Closed(_logger, "grain storage", _name, _options.DatabasePath, _queue.Operations, _queue.Batches);
    }
}
