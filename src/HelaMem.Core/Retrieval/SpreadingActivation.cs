using HelaMem.Core.Graph;

namespace HelaMem.Core.Retrieval;

/// <summary>
/// Spreading activation: S(v_j) = S_base(v_j) + β·Σ_{i ∈ N(j), S_base(v_i) > θ} S_base(v_i)·w_ij.
/// In the grain model the user graph sends each seed's base score to its node grain, which answers with
/// its contributions (<see cref="EdgeSet.Spread"/> into a sparse buffer) and the user graph adds them up
/// with <see cref="Accumulate"/>; in memory, <see cref="Spread"/> does both in one pass, and
/// <see cref="SpreadWhereItMatters"/> gives the same selection computing S only where it can change it.
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

    /// <summary>
    /// The same top-k by S as <see cref="Spread"/>, computing S only where it can matter. Because every edge
    /// exists in both directions with the same weight (temporal, entity and Hebbian edges are all laid down and
    /// learned pairwise), S_j can be pulled through j's own edges. And since S ≥ S_base everywhere, the k-th best
    /// S is at least <paramref name="kthBaseScore"/>: a node whose upper bound
    /// S_base(j) + β·max_seed·D̂(j) is below it cannot be in the top k by S, so its S is left at S_base (a lower
    /// bound that keeps it out of the top k as the exact value would). Nodes that qualify get their exact S.
    /// Returns how many nodes were computed exactly.
    /// </summary>
    /// <param name="baseScores">S_base of every node (negative infinity for archived nodes).</param>
    /// <param name="edges">Each node's edges (null: none).</param>
    /// <param name="degreeBounds">An upper bound D̂(j) of each node's degree Σ_i w_ji, e.g. its degree when its edges last
    /// changed (learned weights only decay in between) or its edge count (every weight is ≤ 1).</param>
    /// <param name="kthBaseScore">The k-th best base score (negative infinity when there are fewer than k nodes).</param>
    /// <param name="threshold">θ.</param>
    /// <param name="beta">β.</param>
    /// <param name="step">The graph's step, for lazy decay.</param>
    /// <param name="parameters">The learning parameters.</param>
    /// <param name="scores">The output.</param>
    /// <param name="chain">Optional: the temporal chain, for nodes whose only edges are their temporal links.</param>
    public static int SpreadWhereItMatters(
        ReadOnlySpan<float> baseScores,
        ReadOnlySpan<EdgeSet?> edges,
        ReadOnlySpan<float> degreeBounds,
        float kthBaseScore,
        float threshold,
        float beta,
        long step,
        in HebbianParameters parameters,
        Span<float> scores,
        TemporalChain chain = default)
    {
        var n = baseScores.Length;
        if (scores.Length < n || edges.Length < n || degreeBounds.Length < n)
        {
            throw new ArgumentException("The score, edge and degree buffers must cover every node.", nameof(scores));
        }

        baseScores.CopyTo(scores);
        if (beta == 0f || n == 0)
        {
            return 0;
        }

        var maxSeed = System.Numerics.Tensors.TensorPrimitives.Max(baseScores);
        if (!(maxSeed > threshold))
        {
            return 0;
        }

        var reach = beta * maxSeed;
        var computed = 0;
        var hasChain = chain.ChainOnly.Length >= n && chain.Previous.Length >= n && chain.Next.Length >= n;
        for (var j = 0; j < n; j++)
        {
            var own = baseScores[j];
            if (hasChain && chain.ChainOnly[j])
            {
                // Same sum as EdgeSet.Pull over the two temporal edges, in the same (ascending) order.
                var sum = 0f;
                var previous = chain.Previous[j];
                if (previous >= 0 && baseScores[previous] > threshold)
                {
                    sum += baseScores[previous] * chain.Weight;
                }

                var next = chain.Next[j];
                if (next >= 0 && baseScores[next] > threshold)
                {
                    sum += baseScores[next] * chain.Weight;
                }

                if (!float.IsNegativeInfinity(own))
                {
                    scores[j] = own + (beta * sum);
                    computed++;
                }

                continue;
            }

            var degree = degreeBounds[j];
            if (degree <= 0f || edges[j] is null || float.IsNegativeInfinity(own) || own + (reach * degree) < kthBaseScore)
            {
                continue;
            }

            scores[j] = own + (beta * edges[j]!.Pull(baseScores, threshold, step, parameters));
            computed++;
        }

        return computed;
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
