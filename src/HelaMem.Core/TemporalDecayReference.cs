namespace HelaMem.Core;

/// <summary>The time that the temporal decay γ = exp(−Δt/τ) measures a memory's age from.</summary>
public enum TemporalDecayReference
{
    /// <summary>No decay: γ = 1 (what the released code effectively ran with).</summary>
    None,

    /// <summary>Age relative to the retrieval's "now": old memories fade as the wall clock advances.</summary>
    Now,

    /// <summary>Age relative to the newest memory in the graph: a graph that is not written to does not fade.</summary>
    NewestMemory,
}
