using HelaMem.Core.Memory;

namespace HelaMem.Core.Consolidation;

/// <summary>
/// Adaptive forgetting: a node is forgotten (archived: it leaves retrieval, its data stays) when it is weakly
/// connected (its learned degree is below the threshold; the fixed temporal edges every turn has do not count),
/// it was never returned by a retrieval, and it is older than the minimum age.
/// </summary>
public static class ForgettingPolicy
{
    /// <summary>True when <paramref name="node"/> should be forgotten at <paramref name="now"/>.</summary>
    public static bool ShouldForget(MemoryNode node, float learnedDegree, DateTimeOffset now, HelaMemOptions options)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        return learnedDegree < options.ForgettingMaxLearnedDegree
            && node.AccessCount == 0
            && now - node.Timestamp >= options.ForgettingMinAge;
    }
}
