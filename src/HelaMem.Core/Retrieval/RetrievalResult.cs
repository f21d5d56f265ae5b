using HelaMem.Core.Context;
using HelaMem.Core.Semantic;

namespace HelaMem.Core.Retrieval;

/// <summary>What a retrieval returns: episodic items, semantic items, the profile and the assembled context.</summary>
/// <param name="Memories">Episodic items: base pathway first (by base score), then flipped ones.</param>
/// <param name="Knowledge">The retrieved facts and agent knowledge.</param>
/// <param name="Profile">The user profile (returned with every context).</param>
/// <param name="Context">The context text and its size.</param>
public sealed record RetrievalResult(
    IReadOnlyList<RetrievedMemory> Memories,
    IReadOnlyList<SemanticItem> Knowledge,
    IReadOnlyList<SemanticItem> Profile,
    AssembledContext Context);
