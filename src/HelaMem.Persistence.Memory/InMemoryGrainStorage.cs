using HelaMem.Runtime.Storage;

namespace HelaMem.Persistence.Memory;

/// <summary>
/// A thread-safe, process-local <see cref="IGrainStorage"/>: the same ETag contract as the durable providers,
/// without durability. Meant for tests and the in-process test cluster.
/// </summary>
/// <remarks>
/// A single lock guards the dictionary: every operation is a lookup plus at most one assignment, so holding
/// it is cheaper than the retry loops a lock-free compare-and-swap version would need, and the check and the
/// write are trivially atomic. Payloads are copied on write so a caller reusing its buffer cannot change
/// stored state.
/// </remarks>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly Dictionary<GrainStateKey, StoredGrainState> _records = [];
    private readonly Lock _gate = new();
    private readonly ETagSequence _eTags = new();
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an empty store.</summary>
    /// <param name="name">The provider's configured name.</param>
    /// <param name="timeProvider">The clock for <see cref="StoredGrainState.UpdatedAt"/>; the system clock when null.</param>
    public InMemoryGrainStorage(string name = "Default", TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>How many records the store holds (for tests and diagnostics).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _records.Count;
            }
        }
    }

    /// <inheritdoc />
    public Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default)
    {
        GrainStateKeyValidation.ThrowIfInvalid(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_records.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc />
    public Task<string> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        GrainStateKeyValidation.ThrowIfInvalid(key);
        cancellationToken.ThrowIfCancellationRequested();
        var copy = payload.ToArray();
        lock (_gate)
        {
            var storedETag = _records.GetValueOrDefault(key)?.ETag;
            if (!string.Equals(storedETag, expectedETag, StringComparison.Ordinal))
            {
                return Task.FromException<string>(new InconsistentStateException(key, expectedETag, storedETag));
            }

            var eTag = _eTags.Next();
            _records[key] = new StoredGrainState(copy, eTag, _timeProvider.GetUtcNow());
            return Task.FromResult(eTag);
        }
    }

    /// <inheritdoc />
    public Task ClearAsync(GrainStateKey key, string? expectedETag, CancellationToken cancellationToken = default)
    {
        GrainStateKeyValidation.ThrowIfInvalid(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var storedETag = _records.GetValueOrDefault(key)?.ETag;
            if (!string.Equals(storedETag, expectedETag, StringComparison.Ordinal))
            {
                return Task.FromException(new InconsistentStateException(key, expectedETag, storedETag));
            }

            _records.Remove(key);
            return Task.CompletedTask;
        }
    }
}
