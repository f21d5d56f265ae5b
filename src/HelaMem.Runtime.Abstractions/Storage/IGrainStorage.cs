namespace HelaMem.Runtime.Storage;

/// <summary>
/// A grain storage provider: keyed blobs with ETag optimistic concurrency. Providers store opaque payloads;
/// serialization is the runtime's job, so every provider stores exactly the same bytes.
/// </summary>
/// <remarks>
/// Contract (checked by the provider conformance suite):
/// <list type="bullet">
/// <item>A write presents the ETag it last read (null when it read nothing). If the stored record's ETag
/// differs (or a record exists when null was presented, or none exists when an ETag was presented), the
/// write throws <see cref="InconsistentStateException"/> and changes nothing.</item>
/// <item>A successful write returns a new ETag that differs from every earlier ETag of that key.</item>
/// <item>Clear removes the record entirely (a hard delete), under the same ETag check.</item>
/// <item>A completed write is durable to the provider's own guarantee (for SQLite and PostgreSQL:
/// committed to disk) before the returned task completes.</item>
/// <item>All members are safe to call concurrently; providers may coalesce concurrent writes of many
/// keys into one transaction (group commit) as long as each write keeps its own outcome.</item>
/// </list>
/// </remarks>
public interface IGrainStorage
{
    /// <summary>The provider's name as configured (e.g. <c>Default</c>).</summary>
    string Name { get; }

    /// <summary>Reads the record of <paramref name="key"/>, or null when none exists.</summary>
    Task<StoredGrainState?> ReadAsync(GrainStateKey key, CancellationToken cancellationToken = default);

    /// <summary>Writes <paramref name="payload"/> if the stored ETag is <paramref name="expectedETag"/>; returns the new ETag.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag is not <paramref name="expectedETag"/>.</exception>
    Task<string> WriteAsync(GrainStateKey key, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default);

    /// <summary>Deletes the record of <paramref name="key"/> if its ETag is <paramref name="expectedETag"/>.</summary>
    /// <exception cref="InconsistentStateException">The stored ETag is not <paramref name="expectedETag"/>.</exception>
    Task ClearAsync(GrainStateKey key, string? expectedETag, CancellationToken cancellationToken = default);
}
