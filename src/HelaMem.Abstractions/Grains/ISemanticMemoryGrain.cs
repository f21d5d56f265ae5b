using HelaMem.Abstractions.Contracts;
using Orleans;
using Orleans.Concurrency;

namespace HelaMem.Abstractions.Grains;

/// <summary>The semantic memory of one user (key <c>tenant/user</c>): profile, facts and agent knowledge with embeddings.</summary>
[Alias("helamem.ISemanticMemoryGrain")]
public interface ISemanticMemoryGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds items whose text is new, an item with a slot replacing the one that held it (durably); returns how many
    /// items were added or replaced.
    /// </summary>
    Task<int> Merge(IReadOnlyList<SemanticEntry> entries);

    /// <summary>The best <paramref name="topK"/> facts/knowledge items and <paramref name="profileMax"/> profile items for a query vector.</summary>
    [ReadOnly]
    Task<SemanticSearchResult> Search(IReadOnlyList<float> query, int topK, int profileMax);

    /// <summary>Every item, in insertion order.</summary>
    [ReadOnly]
    Task<IReadOnlyList<SemanticItemData>> Items();

    /// <summary>
    /// Re-embeds every item's text with the silo's embedder (its user graph moves to it), durably; returns how many
    /// items there are.
    /// </summary>
    Task<int> Reembed();

    /// <summary>
    /// Memories <paramref name="deletedNodes"/> were hard-deleted: the items derived only from them go (durably), the
    /// others forget them as sources. Returns how many items were removed.
    /// </summary>
    Task<int> RemoveDerivedOnlyFrom(IReadOnlyList<long> deletedNodes);

    /// <summary>Removes every item, and its state; returns how many items there were.</summary>
    Task<int> Clear();
}
