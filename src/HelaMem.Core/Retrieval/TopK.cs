namespace HelaMem.Core.Retrieval;

/// <summary>
/// Selects the best k entries of a score array without sorting it: a bounded min-heap over the running best,
/// O(n log k), allocation-free. Ties are broken by the lower index, so the result is deterministic. Entries
/// whose score is NaN or negative infinity (archived or masked nodes) are never selected.
/// </summary>
public static class TopK
{
    /// <summary>
    /// Writes the indices of the best <c>min(k, candidates)</c> scores into <paramref name="destination"/>,
    /// best first, and returns how many were written.
    /// </summary>
    public static int Select(ReadOnlySpan<float> scores, int k, Span<ScoredIndex> destination)
    {
        if (k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, "k must not be negative.");
        }

        if (destination.Length < k)
        {
            throw new ArgumentException($"The destination holds {destination.Length} entries; {k} are needed.", nameof(destination));
        }

        var heap = destination[..k];
        var count = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (float.IsNaN(score) || float.IsNegativeInfinity(score))
            {
                continue;
            }

            var candidate = new ScoredIndex(i, score);
            if (count < k)
            {
                heap[count] = candidate;
                SiftUp(heap, count);
                count++;
            }
            else if (k > 0 && ScoredIndex.RanksBefore(candidate, heap[0]))
            {
                heap[0] = candidate;
                SiftDown(heap, 0, count);
            }
        }

        // Heap-sort in place: repeatedly move the worst (the root) to the end.
        for (var end = count - 1; end > 0; end--)
        {
            (heap[0], heap[end]) = (heap[end], heap[0]);
            SiftDown(heap, 0, end);
        }

        return count;
    }

    // The heap keeps the worst of the running best at the root.
    private static bool Worse(ScoredIndex a, ScoredIndex b) => ScoredIndex.RanksBefore(b, a);

    private static void SiftUp(Span<ScoredIndex> heap, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Worse(heap[i], heap[parent]))
            {
                return;
            }

            (heap[i], heap[parent]) = (heap[parent], heap[i]);
            i = parent;
        }
    }

    private static void SiftDown(Span<ScoredIndex> heap, int i, int count)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= count)
            {
                return;
            }

            var worst = left;
            var right = left + 1;
            if (right < count && Worse(heap[right], heap[left]))
            {
                worst = right;
            }

            if (!Worse(heap[worst], heap[i]))
            {
                return;
            }

            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }
}
