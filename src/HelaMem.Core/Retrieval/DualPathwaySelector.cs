namespace HelaMem.Core.Retrieval;

/// <summary>
/// The dual-pathway selection: the top k by base score, then up to m "flipped" nodes, taken in rank order
/// from the top k by spread score S that are not already in the base top k.
/// </summary>
public static class DualPathwaySelector
{
    /// <summary>
    /// Selects into <paramref name="destination"/> (length ≥ k + m) and returns the count. The base items come
    /// first (best base score first), then the flipped ones (best S first). <paramref name="scratch"/> needs
    /// room for 2·k entries; it exists so that the selection allocates nothing.
    /// </summary>
    public static int Select(
        ReadOnlySpan<float> baseScores,
        ReadOnlySpan<float> spreadScores,
        int k,
        int maxFlipped,
        Span<ScoredIndex> scratch,
        Span<SelectedNode> destination)
    {
        if (k < 0 || maxFlipped < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), "k and m must not be negative.");
        }

        if (spreadScores.Length != baseScores.Length)
        {
            throw new ArgumentException("Base and spread scores must cover the same nodes.", nameof(spreadScores));
        }

        if (scratch.Length < 2 * k || destination.Length < k + maxFlipped)
        {
            throw new ArgumentException("The scratch needs 2·k entries and the destination k + m.", nameof(destination));
        }

        var baseCount = TopK.Select(baseScores, k, scratch[..k]);
        return Complete(baseScores, spreadScores, k, maxFlipped, baseCount, scratch, destination);
    }

    /// <summary>
    /// The second half of <see cref="Select"/> for a caller that already selected the base top k into
    /// <paramref name="scratch"/>[0..<paramref name="baseCount"/>) (best first), e.g. to bound spreading by it.
    /// </summary>
    public static int Complete(
        ReadOnlySpan<float> baseScores,
        ReadOnlySpan<float> spreadScores,
        int k,
        int maxFlipped,
        int baseCount,
        Span<ScoredIndex> scratch,
        Span<SelectedNode> destination)
    {
        if (scratch.Length < 2 * k || destination.Length < k + maxFlipped || baseCount > k)
        {
            throw new ArgumentException("The scratch needs 2·k entries and the destination k + m.", nameof(destination));
        }

        var baseTop = scratch[..baseCount];
        var spreadTop = scratch.Slice(k, k);
        for (var i = 0; i < baseCount; i++)
        {
            var index = baseTop[i].Index;
            destination[i] = new SelectedNode(index, baseScores[index], spreadScores[index], Pathway.Base);
        }

        var count = baseCount;
        if (maxFlipped == 0)
        {
            return count;
        }

        var spreadCount = TopK.Select(spreadScores, k, spreadTop);
        var flipped = 0;
        for (var i = 0; i < spreadCount && flipped < maxFlipped; i++)
        {
            var index = spreadTop[i].Index;
            if (Contains(baseTop, index))
            {
                continue;
            }

            destination[count++] = new SelectedNode(index, baseScores[index], spreadScores[index], Pathway.Flip);
            flipped++;
        }

        return count;
    }

    private static bool Contains(ReadOnlySpan<ScoredIndex> items, int index)
    {
        foreach (var item in items)
        {
            if (item.Index == index)
            {
                return true;
            }
        }

        return false;
    }
}
