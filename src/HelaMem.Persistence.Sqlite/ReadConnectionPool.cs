using System.Threading.Channels;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// A fixed set of read connections handed to one caller at a time (a connection is not thread-safe). WAL lets
/// them read committed data while the group-commit writer is in the middle of its next transaction.
/// </summary>
internal sealed class ReadConnectionPool : IAsyncDisposable
{
    private readonly Channel<GrainStateReader> _idle;
    private readonly int _size;
    private int _disposed;

    public ReadConnectionPool(SqliteStorageOptions options)
    {
        _size = options.ReadConnections;
        _idle = Channel.CreateBounded<GrainStateReader>(_size);
        var opened = new List<GrainStateReader>();
        try
        {
            for (var i = 0; i < _size; i++)
            {
                opened.Add(new GrainStateReader(options));
            }
        }
        catch
        {
            opened.ForEach(reader => reader.Dispose());
            throw;
        }

        opened.ForEach(reader => _idle.Writer.TryWrite(reader));
    }

    public async Task<StoredState?> ReadAsync(StateKey key, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        GrainStateReader reader;
        try
        {
            reader = await _idle.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new ObjectDisposedException(nameof(SqliteGrainStorage), "The SQLite grain storage was disposed while the read waited for a connection.");
        }

        try
        {
            return reader.Read(key);
        }
        finally
        {
            _idle.Writer.TryWrite(reader);
        }
    }

    /// <summary>Waits for reads in flight to return their connections, then closes them all.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        for (var i = 0; i < _size; i++)
        {
            (await _idle.Reader.ReadAsync()).Dispose();
        }

        _idle.Writer.TryComplete();
    }
}
