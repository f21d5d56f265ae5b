namespace HelaMem.Core.Retrieval;

/// <summary>
/// The relative cut of the base pathway (<see cref="HelaMemOptions.RelativeCutoff"/>): of the best k base items, keep
/// those scoring at least r times the best one, never fewer than a floor. A question one memory answers stops early; a
/// question whose evidence is spread over many memories (they score alike) gets more of them. Not in the paper.
/// </summary>
public static class RelativeCut
{
    /// <summary>
    /// How many of <paramref name="best"/>[0..<paramref name="count"/>) (best first) stay: all of them when the cut is
    /// off or the best score is not positive, else those at or above <paramref name="cutoff"/> times the best, at least
    /// <paramref name="floor"/> (and at most <paramref name="count"/>).
    /// </summary>
    public static int Apply(ReadOnlySpan<ScoredIndex> best, int count, float cutoff, int floor)
    {
        if (cutoff <= 0f || count == 0 || !(best[0].Score > 0f))
        {
            return count;
        }

        var threshold = cutoff * best[0].Score;
        var kept = 1;
        while (kept < count && best[kept].Score >= threshold)
        {
            kept++;
        }

        return Math.Min(count, Math.Max(floor, kept));
    }

    /// <summary>
    /// The base score spreading may prune below: every flipped item is among the best (kept + m) nodes by S, and S is
    /// never below S_base, so the (kept + m)-th best base score bounds what a flipped item's S must reach. Without a cut
    /// (kept = count) it is the k-th best base score as before, or negative infinity when there were fewer than k.
    /// </summary>
    public static float SpreadBound(ReadOnlySpan<ScoredIndex> best, int kept, int count, int k, int maxFlipped)
    {
        if (kept < count)
        {
            var bound = kept + Math.Max(maxFlipped, 1) - 1;
            return bound < count ? best[bound].Score : count == k ? best[k - 1].Score : float.NegativeInfinity;
        }

        return count == k ? best[k - 1].Score : float.NegativeInfinity;
    }
}
