namespace HelaMem.Core;

/// <summary>How the base pathway's keyword score counts the query keywords a memory shares.</summary>
public enum KeywordWeighting
{
    /// <summary>Every keyword counts the same: |K_q ∩ K_i| / |K_q| (released).</summary>
    Uniform,

    /// <summary>
    /// Each keyword counts with its idf in the graph, ln(1 + (N − n + 0.5)/(n + 0.5)):
    /// Σ_{t ∈ K_q ∩ K_i} idf(t) / Σ_{t ∈ K_q} idf(t). Still in [0, 1], so α and θ keep their meaning, but a
    /// shared rare name outweighs a shared speaker name that half the memories contain.
    /// </summary>
    Idf,
}
