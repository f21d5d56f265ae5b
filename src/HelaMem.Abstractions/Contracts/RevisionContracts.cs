using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>A change to one memory: new content (re-embedded and re-keyworded; its edges are kept) and/or new metadata.</summary>
/// <param name="Content">The new text, or null to keep it.</param>
/// <param name="Metadata">The new metadata, replacing the old as a whole (empty: none), or null to keep it.</param>
/// <param name="At">When the change is made (recorded in the memory's history).</param>
[GenerateSerializer, Immutable, Alias("helamem.MemoryUpdate")]
public sealed record MemoryUpdate([Id(0)] string? Content, [Id(1)] IReadOnlyDictionary<string, string>? Metadata, [Id(2)] DateTimeOffset At);

/// <summary>What a memory-node grain stores when its memory is revised; the version it replaces goes into its history.</summary>
/// <param name="Content">The text.</param>
/// <param name="Keywords">Its own keywords.</param>
/// <param name="Embedding">Its unit embedding.</param>
/// <param name="IndexedKeywords">The keywords it is indexed under.</param>
/// <param name="Metadata">Its metadata (null: none).</param>
/// <param name="At">When the revision was made.</param>
[GenerateSerializer, Immutable, Alias("helamem.NodeRevision")]
public sealed record NodeRevision(
    [Id(0)] string Content,
    [Id(1)] IReadOnlyList<string> Keywords,
    [Id(2)] IReadOnlyList<float> Embedding,
    [Id(3)] IReadOnlyList<string> IndexedKeywords,
    [Id(4)] IReadOnlyDictionary<string, string>? Metadata,
    [Id(5)] DateTimeOffset At);

/// <summary>The outcome of an update.</summary>
/// <param name="Version">The memory's version after it (1 is the ingested one).</param>
/// <param name="Changed">False when content and metadata were already as asked (no version was added).</param>
[GenerateSerializer, Immutable, Alias("helamem.MemoryRevisionResult")]
public sealed record MemoryRevisionResult([Id(0)] int Version, [Id(1)] bool Changed);

/// <summary>How a version of a memory came to be.</summary>
[GenerateSerializer, Alias("helamem.MemoryVersionEvent")]
public enum MemoryVersionEvent
{
    /// <summary>Stored by an ingest.</summary>
    Created,

    /// <summary>Written by an update.</summary>
    Updated,
}

/// <summary>One version of a memory.</summary>
/// <param name="Version">1 for the ingested text, then one more per update.</param>
/// <param name="Content">The text of that version.</param>
/// <param name="Metadata">The metadata of that version (null: none).</param>
/// <param name="Event">Whether the version was ingested or written by an update.</param>
/// <param name="At">When it was stored (null for memories ingested before their storage time was recorded).</param>
[GenerateSerializer, Immutable, Alias("helamem.MemoryVersion")]
public sealed record MemoryVersion(
    [Id(0)] int Version,
    [Id(1)] string Content,
    [Id(2)] IReadOnlyDictionary<string, string>? Metadata,
    [Id(3)] MemoryVersionEvent Event,
    [Id(4)] DateTimeOffset? At);

/// <summary>Refused because an idempotency key was used before with a different request; nothing was stored.</summary>
[GenerateSerializer, Alias("helamem.IdempotencyConflictException")]
public sealed class IdempotencyConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IdempotencyConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public IdempotencyConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public IdempotencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
