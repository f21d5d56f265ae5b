using HelaMem.Core.Graph;

namespace HelaMem.Core.Retrieval;

/// <summary>
/// Spreading activation: S(v_j) = S_base(v_j) + β·Σ_{i ∈ N(j), S_base(v_i) > θ} S_base(v_i)·w_ij.
/// In the grain model the user graph sends each seed's base score to its node grain, which answers with
/// its contributions (<see cref="EdgeSet.Spread"/> into a sparse buffer) and the user graph adds them up
/// with <see cref="Accumulate"/>; in memory, <see cref="Spread"/> does both in one pass.
/// </summary>
public static class SpreadingActivation
{
    /// <summary>
    /// Writes S into <paramref name="scores"/>: the base scores plus every seed's contributions through its
    /// edges. <paramref name="edges"/>[i] holds node i's outgoing edges (null: none). Returns the seed count.
    /// </summary>
    public static int Spread(
        ReadOnlySpan<float> baseScores,
        ReadOnlySpan<EdgeSet?> edges,
        float threshold,
        float beta,
        long step,
        in HebbianParameters parameters,
        Span<float> scores)
    {
        if (scores.Length < baseScores.Length || edges.Length < baseScores.Length)
        {
            throw new ArgumentException("The score and edge buffers must cover every node.", nameof(scores));
        }

        baseScores.CopyTo(scores);
        if (beta == 0f)
        {
            return 0;
        }

        var seeds = 0;
        for (var i = 0; i < baseScores.Length; i++)
        {
            var seedScore = baseScores[i];
            if (seedScore > threshold && edges[i] is { Count: > 0 } nodeEdges)
            {
                nodeEdges.Spread(seedScore, beta, step, parameters, scores);
                seeds++;
            }
        }

        return seeds;
    }

    /// <summary>Adds contributions gathered from node grains to the scores (targets must be valid node indices).</summary>
    public static void Accumulate(ReadOnlySpan<ScoredIndex> contributions, Span<float> scores)
    {
        foreach (var contribution in contributions)
        {
            scores[contribution.Index] += contribution.Score;
        }
    }
}
