namespace HelaMem.Core.Retrieval;

/// <summary>
/// A contiguous view of the temporal chain for the spreading fast path: for each node its previous and next
/// memory in its thread (−1: none), the temporal edge weight, and whether the node's edges are exactly those
/// temporal links (nothing learned, no other structural edge). For such nodes spreading reads two array slots
/// instead of following the node's edge set, with the same arithmetic in the same order.
/// </summary>
public readonly ref struct TemporalChain
{
    /// <summary>Creates the view.</summary>
    public TemporalChain(ReadOnlySpan<int> previous, ReadOnlySpan<int> next, ReadOnlySpan<bool> chainOnly, float weight)
    {
        Previous = previous;
        Next = next;
        ChainOnly = chainOnly;
        Weight = weight;
    }

    /// <summary>The previous memory of each node's thread, or −1.</summary>
    public ReadOnlySpan<int> Previous { get; }

    /// <summary>The next memory of each node's thread, or −1.</summary>
    public ReadOnlySpan<int> Next { get; }

    /// <summary>True where a node's edges are exactly its temporal links.</summary>
    public ReadOnlySpan<bool> ChainOnly { get; }

    /// <summary>The temporal edge weight.</summary>
    public float Weight { get; }

    /// <summary>An empty chain: every node takes the general path.</summary>
    public static TemporalChain None => default;
}
