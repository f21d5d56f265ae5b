using Orleans.Concurrency;

namespace HelaMem.Silo.Grains;

/// <summary>
/// What the API stores about a user's memories beyond what the memory grains keep (key <c>tenant/user</c>, placed
/// with the user's graph): role and conversation id per memory id, and the record of memories deleted through the
/// API; deleted with the user. Metadata now lives in the memory node itself (written with it); the metadata kept
/// here by earlier versions is still read for the memories they ingested.
/// </summary>
[Alias("helamem.silo.IMemoryAnnotationGrain")]
public interface IMemoryAnnotationGrain : IGrainWithStringKey
{
    /// <summary>Stores the annotations of newly ingested memories (durably).</summary>
    Task Put(IReadOnlyList<MemoryAnnotation> annotations);

    /// <summary>The annotations of <paramref name="ids"/> (null where there is none).</summary>
    [ReadOnly]
    Task<IReadOnlyList<MemoryAnnotation?>> Lookup(IReadOnlyList<long> ids);

    /// <summary>Forgets one memory's annotation and records the memory as deleted.</summary>
    Task MarkDeleted(long id);

    /// <summary>Whether a memory was deleted through the API.</summary>
    [ReadOnly]
    Task<bool> IsDeleted(long id);

    /// <summary>Removes everything (part of a user delete).</summary>
    Task Clear();
}

/// <summary>The API-level annotation of one memory.</summary>
/// <param name="Id">The memory id.</param>
/// <param name="Role">The role given at ingest.</param>
/// <param name="ConversationId">The conversation id given at ingest.</param>
/// <param name="Metadata">The metadata given at ingest, as earlier versions stored it here (null since metadata lives in the node).</param>
[GenerateSerializer, Immutable, Alias("helamem.silo.MemoryAnnotation")]
public sealed record MemoryAnnotation([Id(0)] long Id, [Id(1)] string? Role, [Id(2)] string? ConversationId, [Id(3)] IReadOnlyDictionary<string, string>? Metadata);
