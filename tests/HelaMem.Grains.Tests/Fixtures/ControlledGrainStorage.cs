using System.Collections.Concurrent;
using HelaMem.Persistence.Sqlite;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Grains.Tests.Fixtures;

/// <summary>
/// Grain storage for fault injection: states kept as JSON in memory (shared by the silos of a test), with ETags, and
/// writes of chosen grains held until the test releases them or failed outright.
/// </summary>
internal sealed class ControlledGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private readonly ConcurrentDictionary<(GrainId, string), (BinaryData Payload, string ETag)> _rows = new();
    private readonly HelaMemJsonGrainStorageSerializer _serializer = new();
    private long _nextETag;
    private volatile Func<GrainId, bool> _hold = _ => false;
    private volatile Func<GrainId, bool> _fail = _ => false;
    private volatile Func<GrainId, bool> _holdAfter = _ => false;
    private TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a write of a held grain has started waiting.</summary>
    public Task WriteHeld => _held.Task;

    /// <summary>Holds the writes of matching grains until <see cref="ReleaseWrites"/>.</summary>
    public void HoldWritesOf(Func<GrainId, bool> grains)
    {
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _hold = grains;
    }

    /// <summary>Lets held writes go on, and stops holding.</summary>
    public void ReleaseWrites()
    {
        _hold = _ => false;
        _release.TrySetResult();
    }

    /// <summary>
    /// Stores the writes of matching grains and then holds the writer until <see cref="ReleaseWrites"/>: the state is
    /// durable but the grain has not heard so (a process that dies right after its store acknowledged a write).
    /// </summary>
    public void HoldAfterWritesOf(Func<GrainId, bool> grains)
    {
        _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _holdAfter = grains;
    }

    /// <summary>Stops holding new writes; writes already held stay held until <see cref="ReleaseWrites"/>.</summary>
    public void StopHolding()
    {
        _hold = _ => false;
        _holdAfter = _ => false;
    }

    /// <summary>Fails the writes of matching grains with an <see cref="IOException"/>.</summary>
    public void FailWritesOf(Func<GrainId, bool> grains) => _fail = grains;

    /// <summary>The stored state of a grain, deserialized, or default when none is stored.</summary>
    public T? Stored<T>(GrainId grainId, string stateName) =>
        _rows.TryGetValue((grainId, stateName), out var row) ? _serializer.Deserialize<T>(row.Payload) : default;

    // It replaces the kit's registration under the same name, which Orleans also asks to join the silo's lifecycle.
    public void Participate(ISiloLifecycle observer)
    {
    }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue((grainId, stateName), out var row))
        {
            grainState.State = _serializer.Deserialize<T>(row.Payload)!;
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialized before waiting, as the real store does: what is written is the state when the write began.
        var payload = _serializer.Serialize(grainState.State);
        await GateAsync(grainId);
        var key = (grainId, stateName);
        var eTag = Interlocked.Increment(ref _nextETag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        lock (_rows)
        {
            var current = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException($"Stale write of {grainId}", current, grainState.ETag);
            }

            _rows[key] = (payload, eTag);
        }

        if (_holdAfter(grainId))
        {
            _held.TrySetResult();
            await _release.Task;
        }

        grainState.ETag = eTag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await GateAsync(grainId);
        lock (_rows)
        {
            var current = _rows.TryGetValue((grainId, stateName), out var row) ? row.ETag : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException($"Stale clear of {grainId}", current, grainState.ETag);
            }

            _rows.TryRemove((grainId, stateName), out _);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private async Task GateAsync(GrainId grainId)
    {
        if (_fail(grainId))
        {
            throw new IOException($"Injected storage failure for {grainId}.");
        }

        if (_hold(grainId))
        {
            _held.TrySetResult();
            await _release.Task;
        }
    }
}
