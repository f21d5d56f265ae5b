using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Coalesces concurrent writes into transactions. Callers enqueue and await; one dedicated thread takes whatever
/// has queued up (at most <see cref="SqliteStorageOptions.MaxBatchSize"/>), runs it as one transaction and then
/// reports every write's own outcome. While a commit (and its fsync) is in flight, new writes queue up and form
/// the next batch, so the number of fsyncs per second stays roughly constant as the write rate grows.
/// </summary>
/// <remarks>
/// A dedicated thread rather than a thread-pool loop: Microsoft.Data.Sqlite is synchronous, so the writer blocks
/// in fsync, and blocking a pool thread for that would starve grain turns on a two-core machine.
/// </remarks>
internal sealed class GroupCommitQueue : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Action<IReadOnlyList<PendingWrite>> _executeBatch;
    private readonly int _maxBatchSize;
    private readonly TimeSpan _maxBatchDelay;
    private readonly SemaphoreSlim _room;
    private readonly string _databasePath;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SqliteStorageMetrics _metrics;
    private readonly int _maxPendingWrites;
    private List<PendingWrite> _queue = [];
    private List<PendingWrite> _spare = [];
    private bool _closing;
    private long _batches;
    private long _operations;
    private int _largestBatch;

    /// <param name="executeBatch">Runs one batch as one transaction, recording each write's outcome; throws when the transaction failed.</param>
    public GroupCommitQueue(string name, SqliteStorageOptions options, Action<IReadOnlyList<PendingWrite>> executeBatch, ILogger logger)
    {
        _executeBatch = executeBatch;
        _maxBatchSize = options.MaxBatchSize;
        _maxBatchDelay = options.MaxBatchDelay;
        _maxPendingWrites = options.MaxPendingWrites;
        _room = new SemaphoreSlim(options.MaxPendingWrites, options.MaxPendingWrites);
        _metrics = new SqliteStorageMetrics(name, () => _maxPendingWrites - _room.CurrentCount);
        _databasePath = options.DatabasePath;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = $"HelaMem SQLite writer '{name}'" };
        _thread.Start();
    }

    /// <summary>Transactions committed so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Writes and clears that ran inside committed transactions (conflicts included).</summary>
    public long Operations => Interlocked.Read(ref _operations);

    /// <summary>The most operations one committed transaction held.</summary>
    public int LargestBatch => Volatile.Read(ref _largestBatch);

    /// <summary>Queues <paramref name="write"/> and returns its outcome once its transaction has committed.</summary>
    public async Task<string?> SubmitAsync(PendingWrite write, CancellationToken cancellationToken)
    {
        ThrowIfClosing(Volatile.Read(ref _closing));
        await _room.WaitAsync(cancellationToken);
        try
        {
            if (cancellationToken.CanBeCanceled)
            {
                write.CancellationRegistration = cancellationToken.Register(static (state, token) => ((PendingWrite)state!).TryCancel(token), write);
            }

            lock (_gate)
            {
                if (_closing)
                {
                    write.CancellationRegistration.Dispose();
                    ThrowIfClosing(closing: true);
                }

                _queue.Add(write);
                Monitor.Pulse(_gate);
            }

            return await write.Completion;
        }
        finally
        {
            _room.Release();
        }
    }

    private static void ThrowIfClosing(bool closing)
    {
        if (closing)
        {
            throw new ObjectDisposedException(nameof(SqliteGrainStorage), "The SQLite grain storage is disposed; the write was not applied.");
        }
    }

    /// <summary>Stops accepting writes, commits everything already queued, and stops the writer thread.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_closing)
            {
                return;
            }

            _closing = true;
            Monitor.Pulse(_gate);
        }

        // The semaphore is not disposed: callers completed during the drain release their slot afterwards, and
        // without an AvailableWaitHandle it holds nothing to free.
        await _stopped.Task;
        _metrics.Dispose();
    }

    private void Run()
    {
        try
        {
            while (TakeBatch() is { } batch)
            {
                ExecuteClaimed(batch);
                batch.Clear();
                lock (_gate)
                {
                    _spare = batch;
                }
            }
        }
        finally
        {
            _stopped.TrySetResult();
        }
    }

    /// <summary>Waits for work and takes the next batch; null once closing and drained.</summary>
    private List<PendingWrite>? TakeBatch()
    {
        lock (_gate)
        {
            while (_queue.Count == 0)
            {
                if (_closing)
                {
                    return null;
                }

                Monitor.Wait(_gate);
            }

            if (_maxBatchDelay > TimeSpan.Zero)
            {
                // Linger so a burst of writes shares one transaction; leave early once the batch is full.
                var deadline = Stopwatch.GetTimestamp() + (long)(_maxBatchDelay.TotalSeconds * Stopwatch.Frequency);
                while (_queue.Count < _maxBatchSize && !_closing)
                {
                    var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                    if (remaining <= TimeSpan.Zero)
                    {
                        break;
                    }

                    Monitor.Wait(_gate, remaining);
                }
            }

            if (_queue.Count <= _maxBatchSize)
            {
                var batch = _queue;
                _queue = _spare;
                _spare = [];
                return batch;
            }

            var head = _queue.GetRange(0, _maxBatchSize);
            _queue.RemoveRange(0, _maxBatchSize);
            return head;
        }
    }

    private void ExecuteClaimed(List<PendingWrite> batch)
    {
        // Writes whose callers cancelled while queued drop out here and are never applied.
        var claimed = batch.FindAll(write => write.TryClaim());
        if (claimed.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            _executeBatch(claimed);
        }
#pragma warning disable CA1031 // The writer thread must survive any failure and report it to every caller of the batch.
        catch (Exception error)
#pragma warning restore CA1031
        {
            _metrics.Failed();
            SqliteLog.BatchFailed(_logger, error, claimed.Count, _databasePath);
            foreach (var write in claimed)
            {
                write.Fail(error);
            }

            return;
        }

        _metrics.Committed(claimed.Count, claimed.Count(write => write.Conflict is not null), Stopwatch.GetElapsedTime(started));
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _operations, claimed.Count);
        if (claimed.Count > _largestBatch)
        {
            Volatile.Write(ref _largestBatch, claimed.Count);
        }

        foreach (var write in claimed)
        {
            write.Complete();
        }
    }
}
