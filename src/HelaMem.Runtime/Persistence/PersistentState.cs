using System.Diagnostics;
using System.Text.Json;
using HelaMem.Runtime.Storage;

namespace HelaMem.Runtime.Persistence;

/// <summary>What the activation needs from each injected state: the read before OnActivateAsync.</summary>
internal interface IPersistentStateLifecycle
{
    Task ReadStateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A grain's named state over an <see cref="IGrainStorage"/>, serialized with System.Text.Json. The ETag of the last
/// read or write goes with every write, so a stale writer gets <see cref="InconsistentStateException"/> and
/// changes nothing (and its in-memory ETag stays as it was, so it can re-read and retry).
/// </summary>
internal sealed class PersistentState<TState> : IPersistentState<TState>, IPersistentStateLifecycle
{
    private static readonly KeyValuePair<string, object?> ReadTag = new("operation", "read");
    private static readonly KeyValuePair<string, object?> WriteTag = new("operation", "write");
    private static readonly KeyValuePair<string, object?> ClearTag = new("operation", "clear");

    private readonly GrainStateKey _key;
    private readonly IGrainStorage _storage;
    private readonly JsonSerializerOptions _options;

    public PersistentState(GrainStateKey key, IGrainStorage storage, JsonSerializerOptions options)
    {
        _key = key;
        _storage = storage;
        _options = options;
        State = CreateDefault();
    }

    public TState State { get; set; }

    public string? Etag { get; private set; }

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var record = await _storage.ReadAsync(_key, cancellationToken);
        Record(ReadTag, started);
        if (record is null)
        {
            State = CreateDefault();
            Etag = null;
            RecordExists = false;
            return;
        }

        try
        {
            State = JsonSerializer.Deserialize<TState>(record.Payload.Span, _options) ?? CreateDefault();
        }
        catch (JsonException exception)
        {
            throw new InvalidOperationException($"Stored state {_key} could not be read as {typeof(TState).Name}: {exception.Message}", exception);
        }

        Etag = record.ETag;
        RecordExists = true;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(State, _options);
        var started = Stopwatch.GetTimestamp();
        var eTag = await _storage.WriteAsync(_key, payload, Etag, cancellationToken);
        Record(WriteTag, started);
        Etag = eTag;
        RecordExists = true;
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        await _storage.ClearAsync(_key, Etag, cancellationToken);
        Record(ClearTag, started);
        Etag = null;
        RecordExists = false;
        State = CreateDefault();
    }

    private static void Record(KeyValuePair<string, object?> operation, long started)
    {
        RuntimeInstrumentation.StorageOperations.Add(1, operation);
        if (RuntimeInstrumentation.StorageDuration.Enabled)
        {
            RuntimeInstrumentation.StorageDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, operation);
        }
    }

    // A value type's default; a class's parameterless constructor; otherwise an empty JSON object, which lets
    // System.Text.Json call a record's constructor with default arguments.
    private TState CreateDefault()
    {
        var type = typeof(TState);
        if (type.IsValueType)
        {
            return default!;
        }

        if (type == typeof(string))
        {
            return (TState)(object)string.Empty;
        }

        if (type.GetConstructor(Type.EmptyTypes) is not null)
        {
            return Activator.CreateInstance<TState>();
        }

        return JsonSerializer.Deserialize<TState>("{}"u8, _options)
            ?? throw new InvalidOperationException($"State type {type.Name} has no parameterless constructor and cannot be created from an empty JSON object.");
    }
}
