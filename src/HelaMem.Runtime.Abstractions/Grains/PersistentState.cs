namespace HelaMem.Runtime;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>: the runtime injects the
/// named state, read from the named storage provider before the grain's OnActivateAsync runs.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class PersistentStateAttribute : Attribute
{
    /// <summary>The state <paramref name="stateName"/> in provider <paramref name="storageName"/> (<c>Default</c> when null).</summary>
    public PersistentStateAttribute(string stateName, string? storageName = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stateName);
        StateName = stateName;
        StorageName = storageName;
    }

    /// <summary>The state's name, unique within the grain.</summary>
    public string StateName { get; }

    /// <summary>The storage provider's name, or null for the default provider.</summary>
    public string? StorageName { get; }
}

/// <summary>
/// A grain's named persistent state. The grain changes <see cref="State"/> in memory and persists it explicitly;
/// writes use ETag optimistic concurrency, so a stale writer fails and overwrites nothing.
/// </summary>
/// <typeparam name="TState">The state type, serialized with System.Text.Json.</typeparam>
public interface IPersistentState<TState>
{
    /// <summary>The state value. A fresh default value when nothing is stored.</summary>
    TState State { get; set; }

    /// <summary>The ETag of the stored record this state was read from or last written as; null when none exists.</summary>
    string? Etag { get; }

    /// <summary>Whether a record exists in storage.</summary>
    bool RecordExists { get; }

    /// <summary>Reloads the state from storage, replacing <see cref="State"/>.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes <see cref="State"/>; throws <c>InconsistentStateException</c> when the stored ETag changed since the last read or write.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored record (same ETag check) and resets <see cref="State"/> to its default value.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}
